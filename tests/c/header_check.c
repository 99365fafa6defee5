/* Compiled (not run) with -std=c11 -Wall -Wextra -Wpedantic -Werror: the header stands
 * alone and may be included twice. */
#include "snmpx.h"
#include "snmpx.h"

int snmpx_header_check_c(void);
int snmpx_header_check_c(void) {
    snmpx_result rc = SNMPX_OK;
    return (int)rc + SNMPX_VERSION_MAJOR;
}
