module snmpx/bindings/go

go 1.24
