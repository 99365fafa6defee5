//! The built-in table used when no MIB file is installed: the core objects a poller needs
//! (system, interfaces, ifXTable, ip, snmp groups; RFC 3418, RFC 2863, RFC 4293/1213),
//! written as compact SMIv2 text under the real module names so that `SNMPv2-MIB::sysDescr.0`
//! and `IF-MIB::ifDescr.3` resolve and print exactly as with the full files. Descriptions and
//! conformance sections are left out; OIDs, syntaxes, enums, hints and indexes are kept.

/// The built-in module text (parsed by the same parser as files).
pub const BUILTIN_TEXT: &str = r#"
SNMPv2-SMI DEFINITIONS ::= BEGIN
org OBJECT IDENTIFIER ::= { iso 3 }
dod OBJECT IDENTIFIER ::= { org 6 }
internet OBJECT IDENTIFIER ::= { dod 1 }
directory OBJECT IDENTIFIER ::= { internet 1 }
mgmt OBJECT IDENTIFIER ::= { internet 2 }
mib-2 OBJECT IDENTIFIER ::= { mgmt 1 }
transmission OBJECT IDENTIFIER ::= { mib-2 10 }
experimental OBJECT IDENTIFIER ::= { internet 3 }
private OBJECT IDENTIFIER ::= { internet 4 }
enterprises OBJECT IDENTIFIER ::= { private 1 }
security OBJECT IDENTIFIER ::= { internet 5 }
snmpV2 OBJECT IDENTIFIER ::= { internet 6 }
snmpDomains OBJECT IDENTIFIER ::= { snmpV2 1 }
snmpProxys OBJECT IDENTIFIER ::= { snmpV2 2 }
snmpModules OBJECT IDENTIFIER ::= { snmpV2 3 }
zeroDotZero OBJECT-IDENTITY STATUS current DESCRIPTION "" ::= { 0 0 }
END

SNMPv2-TC DEFINITIONS ::= BEGIN
DisplayString ::= TEXTUAL-CONVENTION DISPLAY-HINT "255a" STATUS current DESCRIPTION ""
    SYNTAX OCTET STRING (SIZE (0..255))
PhysAddress ::= TEXTUAL-CONVENTION DISPLAY-HINT "1x:" STATUS current DESCRIPTION ""
    SYNTAX OCTET STRING
MacAddress ::= TEXTUAL-CONVENTION DISPLAY-HINT "1x:" STATUS current DESCRIPTION ""
    SYNTAX OCTET STRING (SIZE (6))
TruthValue ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION ""
    SYNTAX INTEGER { true(1), false(2) }
TestAndIncr ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION ""
    SYNTAX INTEGER (0..2147483647)
AutonomousType ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION ""
    SYNTAX OBJECT IDENTIFIER
TimeStamp ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION ""
    SYNTAX TimeTicks
RowStatus ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION ""
    SYNTAX INTEGER { active(1), notInService(2), notReady(3), createAndGo(4),
                     createAndWait(5), destroy(6) }
DateAndTime ::= TEXTUAL-CONVENTION DISPLAY-HINT "2d-1d-1d,1d:1d:1d.1d,1a1d:1d"
    STATUS current DESCRIPTION "" SYNTAX OCTET STRING (SIZE (8 | 11))
END

SNMPv2-MIB DEFINITIONS ::= BEGIN
IMPORTS mib-2, snmpModules FROM SNMPv2-SMI
        DisplayString, TestAndIncr, TimeStamp FROM SNMPv2-TC;
snmpMIB MODULE-IDENTITY LAST-UPDATED "200210160000Z" ORGANIZATION "" CONTACT-INFO ""
    DESCRIPTION "" ::= { snmpModules 1 }
snmpMIBObjects OBJECT IDENTIFIER ::= { snmpMIB 1 }
system OBJECT IDENTIFIER ::= { mib-2 1 }
sysDescr OBJECT-TYPE SYNTAX DisplayString (SIZE (0..255)) MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { system 1 }
sysObjectID OBJECT-TYPE SYNTAX OBJECT IDENTIFIER MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { system 2 }
sysUpTime OBJECT-TYPE SYNTAX TimeTicks MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { system 3 }
sysContact OBJECT-TYPE SYNTAX DisplayString (SIZE (0..255)) MAX-ACCESS read-write
    STATUS current DESCRIPTION "" ::= { system 4 }
sysName OBJECT-TYPE SYNTAX DisplayString (SIZE (0..255)) MAX-ACCESS read-write
    STATUS current DESCRIPTION "" ::= { system 5 }
sysLocation OBJECT-TYPE SYNTAX DisplayString (SIZE (0..255)) MAX-ACCESS read-write
    STATUS current DESCRIPTION "" ::= { system 6 }
sysServices OBJECT-TYPE SYNTAX INTEGER (0..127) MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { system 7 }
sysORLastChange OBJECT-TYPE SYNTAX TimeStamp MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { system 8 }
sysORTable OBJECT-TYPE SYNTAX SEQUENCE OF SysOREntry MAX-ACCESS not-accessible
    STATUS current DESCRIPTION "" ::= { system 9 }
sysOREntry OBJECT-TYPE SYNTAX SysOREntry MAX-ACCESS not-accessible
    STATUS current DESCRIPTION "" INDEX { sysORIndex } ::= { sysORTable 1 }
SysOREntry ::= SEQUENCE { sysORIndex INTEGER, sysORID OBJECT IDENTIFIER,
    sysORDescr DisplayString, sysORUpTime TimeStamp }
sysORIndex OBJECT-TYPE SYNTAX INTEGER (1..2147483647) MAX-ACCESS not-accessible
    STATUS current DESCRIPTION "" ::= { sysOREntry 1 }
sysORID OBJECT-TYPE SYNTAX OBJECT IDENTIFIER MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { sysOREntry 2 }
sysORDescr OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { sysOREntry 3 }
sysORUpTime OBJECT-TYPE SYNTAX TimeStamp MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { sysOREntry 4 }
snmp OBJECT IDENTIFIER ::= { mib-2 11 }
snmpInPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { snmp 1 }
snmpOutPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 2 }
snmpInBadVersions OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { snmp 3 }
snmpInBadCommunityNames OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { snmp 4 }
snmpInBadCommunityUses OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { snmp 5 }
snmpInASNParseErrs OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { snmp 6 }
snmpInTooBigs OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 8 }
snmpInNoSuchNames OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 9 }
snmpInBadValues OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 10 }
snmpInReadOnlys OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 11 }
snmpInGenErrs OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 12 }
snmpInTotalReqVars OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 13 }
snmpInTotalSetVars OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 14 }
snmpInGetRequests OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 15 }
snmpInGetNexts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 16 }
snmpInSetRequests OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 17 }
snmpInGetResponses OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 18 }
snmpInTraps OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 19 }
snmpOutTooBigs OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 20 }
snmpOutNoSuchNames OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 21 }
snmpOutBadValues OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 22 }
snmpOutGenErrs OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 24 }
snmpOutGetRequests OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 25 }
snmpOutGetNexts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 26 }
snmpOutSetRequests OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 27 }
snmpOutGetResponses OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 28 }
snmpOutTraps OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS obsolete
    DESCRIPTION "" ::= { snmp 29 }
snmpEnableAuthenTraps OBJECT-TYPE SYNTAX INTEGER { enabled(1), disabled(2) }
    MAX-ACCESS read-write STATUS current DESCRIPTION "" ::= { snmp 30 }
snmpSilentDrops OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { snmp 31 }
snmpProxyDrops OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { snmp 32 }
snmpTrap OBJECT IDENTIFIER ::= { snmpMIBObjects 4 }
snmpTrapOID OBJECT-TYPE SYNTAX OBJECT IDENTIFIER MAX-ACCESS accessible-for-notify
    STATUS current DESCRIPTION "" ::= { snmpTrap 1 }
snmpTraps OBJECT IDENTIFIER ::= { snmpMIBObjects 5 }
coldStart NOTIFICATION-TYPE STATUS current DESCRIPTION "" ::= { snmpTraps 1 }
warmStart NOTIFICATION-TYPE STATUS current DESCRIPTION "" ::= { snmpTraps 2 }
authenticationFailure NOTIFICATION-TYPE STATUS current DESCRIPTION "" ::= { snmpTraps 5 }
snmpSet OBJECT IDENTIFIER ::= { snmpMIBObjects 6 }
snmpSetSerialNo OBJECT-TYPE SYNTAX TestAndIncr MAX-ACCESS read-write STATUS current
    DESCRIPTION "" ::= { snmpSet 1 }
END

IF-MIB DEFINITIONS ::= BEGIN
IMPORTS mib-2 FROM SNMPv2-SMI
        DisplayString, PhysAddress, TruthValue, TimeStamp, AutonomousType
        FROM SNMPv2-TC;
ifMIB MODULE-IDENTITY LAST-UPDATED "200006140000Z" ORGANIZATION "" CONTACT-INFO ""
    DESCRIPTION "" ::= { mib-2 31 }
ifMIBObjects OBJECT IDENTIFIER ::= { ifMIB 1 }
interfaces OBJECT IDENTIFIER ::= { mib-2 2 }
InterfaceIndex ::= TEXTUAL-CONVENTION DISPLAY-HINT "d" STATUS current DESCRIPTION ""
    SYNTAX Integer32 (1..2147483647)
ifNumber OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { interfaces 1 }
ifTable OBJECT-TYPE SYNTAX SEQUENCE OF IfEntry MAX-ACCESS not-accessible
    STATUS current DESCRIPTION "" ::= { interfaces 2 }
ifEntry OBJECT-TYPE SYNTAX IfEntry MAX-ACCESS not-accessible STATUS current
    DESCRIPTION "" INDEX { ifIndex } ::= { ifTable 1 }
IfEntry ::= SEQUENCE { ifIndex InterfaceIndex }
ifIndex OBJECT-TYPE SYNTAX InterfaceIndex MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 1 }
ifDescr OBJECT-TYPE SYNTAX DisplayString (SIZE (0..255)) MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { ifEntry 2 }
ifType OBJECT-TYPE SYNTAX INTEGER { other(1), ethernetCsmacd(6), ppp(23),
    softwareLoopback(24), propPointToPointSerial(22), tunnel(131), l2vlan(135),
    ieee8023adLag(161), bridge(209) } MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 3 }
ifMtu OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 4 }
ifSpeed OBJECT-TYPE SYNTAX Gauge32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 5 }
ifPhysAddress OBJECT-TYPE SYNTAX PhysAddress MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 6 }
ifAdminStatus OBJECT-TYPE SYNTAX INTEGER { up(1), down(2), testing(3) }
    MAX-ACCESS read-write STATUS current DESCRIPTION "" ::= { ifEntry 7 }
ifOperStatus OBJECT-TYPE SYNTAX INTEGER { up(1), down(2), testing(3), unknown(4),
    dormant(5), notPresent(6), lowerLayerDown(7) } MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { ifEntry 8 }
ifLastChange OBJECT-TYPE SYNTAX TimeTicks MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 9 }
ifInOctets OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 10 }
ifInUcastPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 11 }
ifInNUcastPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ifEntry 12 }
ifInDiscards OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 13 }
ifInErrors OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 14 }
ifInUnknownProtos OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 15 }
ifOutOctets OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 16 }
ifOutUcastPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 17 }
ifOutNUcastPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ifEntry 18 }
ifOutDiscards OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 19 }
ifOutErrors OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifEntry 20 }
ifOutQLen OBJECT-TYPE SYNTAX Gauge32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ifEntry 21 }
ifSpecific OBJECT-TYPE SYNTAX OBJECT IDENTIFIER MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ifEntry 22 }
ifXTable OBJECT-TYPE SYNTAX SEQUENCE OF IfXEntry MAX-ACCESS not-accessible
    STATUS current DESCRIPTION "" ::= { ifMIBObjects 1 }
ifXEntry OBJECT-TYPE SYNTAX IfXEntry MAX-ACCESS not-accessible STATUS current
    DESCRIPTION "" AUGMENTS { ifEntry } ::= { ifXTable 1 }
IfXEntry ::= SEQUENCE { ifName DisplayString }
ifName OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 1 }
ifInMulticastPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 2 }
ifInBroadcastPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 3 }
ifOutMulticastPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 4 }
ifOutBroadcastPkts OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 5 }
ifHCInOctets OBJECT-TYPE SYNTAX Counter64 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 6 }
ifHCInUcastPkts OBJECT-TYPE SYNTAX Counter64 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 7 }
ifHCInMulticastPkts OBJECT-TYPE SYNTAX Counter64 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 8 }
ifHCInBroadcastPkts OBJECT-TYPE SYNTAX Counter64 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 9 }
ifHCOutOctets OBJECT-TYPE SYNTAX Counter64 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 10 }
ifHCOutUcastPkts OBJECT-TYPE SYNTAX Counter64 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 11 }
ifHCOutMulticastPkts OBJECT-TYPE SYNTAX Counter64 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 12 }
ifHCOutBroadcastPkts OBJECT-TYPE SYNTAX Counter64 MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 13 }
ifLinkUpDownTrapEnable OBJECT-TYPE SYNTAX INTEGER { enabled(1), disabled(2) }
    MAX-ACCESS read-write STATUS current DESCRIPTION "" ::= { ifXEntry 14 }
ifHighSpeed OBJECT-TYPE SYNTAX Gauge32 UNITS "Mbps" MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 15 }
ifPromiscuousMode OBJECT-TYPE SYNTAX TruthValue MAX-ACCESS read-write STATUS current
    DESCRIPTION "" ::= { ifXEntry 16 }
ifConnectorPresent OBJECT-TYPE SYNTAX TruthValue MAX-ACCESS read-only STATUS current
    DESCRIPTION "" ::= { ifXEntry 17 }
ifAlias OBJECT-TYPE SYNTAX DisplayString (SIZE (0..64)) MAX-ACCESS read-write
    STATUS current DESCRIPTION "" ::= { ifXEntry 18 }
ifCounterDiscontinuityTime OBJECT-TYPE SYNTAX TimeStamp MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { ifXEntry 19 }
linkDown NOTIFICATION-TYPE STATUS current DESCRIPTION "" ::= { snmpTraps 3 }
linkUp NOTIFICATION-TYPE STATUS current DESCRIPTION "" ::= { snmpTraps 4 }
snmpTraps OBJECT IDENTIFIER ::= { 1 3 6 1 6 3 1 1 5 }
END

IP-MIB DEFINITIONS ::= BEGIN
IMPORTS mib-2 FROM SNMPv2-SMI;
ip OBJECT IDENTIFIER ::= { mib-2 4 }
ipForwarding OBJECT-TYPE SYNTAX INTEGER { forwarding(1), notForwarding(2) }
    MAX-ACCESS read-write STATUS current DESCRIPTION "" ::= { ip 1 }
ipDefaultTTL OBJECT-TYPE SYNTAX INTEGER (1..255) MAX-ACCESS read-write
    STATUS current DESCRIPTION "" ::= { ip 2 }
ipInReceives OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 3 }
ipInHdrErrors OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 4 }
ipInAddrErrors OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 5 }
ipForwDatagrams OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 6 }
ipInUnknownProtos OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 7 }
ipInDiscards OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 8 }
ipInDelivers OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 9 }
ipOutRequests OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 10 }
ipOutDiscards OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 11 }
ipOutNoRoutes OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 12 }
ipReasmTimeout OBJECT-TYPE SYNTAX Integer32 UNITS "seconds" MAX-ACCESS read-only
    STATUS current DESCRIPTION "" ::= { ip 13 }
ipReasmReqds OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 14 }
ipReasmOKs OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 15 }
ipReasmFails OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 16 }
ipFragOKs OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 17 }
ipFragFails OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 18 }
ipFragCreates OBJECT-TYPE SYNTAX Counter32 MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ip 19 }
ipAddrTable OBJECT-TYPE SYNTAX SEQUENCE OF IpAddrEntry MAX-ACCESS not-accessible
    STATUS deprecated DESCRIPTION "" ::= { ip 20 }
ipAddrEntry OBJECT-TYPE SYNTAX IpAddrEntry MAX-ACCESS not-accessible
    STATUS deprecated DESCRIPTION "" INDEX { ipAdEntAddr } ::= { ipAddrTable 1 }
IpAddrEntry ::= SEQUENCE { ipAdEntAddr IpAddress }
ipAdEntAddr OBJECT-TYPE SYNTAX IpAddress MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ipAddrEntry 1 }
ipAdEntIfIndex OBJECT-TYPE SYNTAX INTEGER (1..2147483647) MAX-ACCESS read-only
    STATUS deprecated DESCRIPTION "" ::= { ipAddrEntry 2 }
ipAdEntNetMask OBJECT-TYPE SYNTAX IpAddress MAX-ACCESS read-only STATUS deprecated
    DESCRIPTION "" ::= { ipAddrEntry 3 }
ipAdEntBcastAddr OBJECT-TYPE SYNTAX INTEGER (0..1) MAX-ACCESS read-only
    STATUS deprecated DESCRIPTION "" ::= { ipAddrEntry 4 }
ipAdEntReasmMaxSize OBJECT-TYPE SYNTAX INTEGER (0..65535) MAX-ACCESS read-only
    STATUS deprecated DESCRIPTION "" ::= { ipAddrEntry 5 }
END
"#;
