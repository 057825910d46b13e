package seeds

// LoadDemoFormations exposes loadDemoFormations to the external tests.
var LoadDemoFormations = loadDemoFormations
