package seeds

// LoadDemoPlan exposes loadDemoPlan to the external tests.
var LoadDemoPlan = loadDemoPlan
