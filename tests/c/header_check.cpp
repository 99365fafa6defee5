// Compiled (not run) with -std=c++17 -Wall -Wextra -Wpedantic -Werror: the header stands
// alone in C++ and may be included twice.
#include "snmpx.h"
#include "snmpx.h"

int snmpx_header_check_cxx();
int snmpx_header_check_cxx() {
    snmpx_result rc = SNMPX_OK;
    return static_cast<int>(rc) + SNMPX_VERSION_MAJOR;
}
