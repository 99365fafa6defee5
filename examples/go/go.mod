module snmpx/examples/go

go 1.24

require snmpx/bindings/go v0.0.0

replace snmpx/bindings/go => ../../bindings/go
