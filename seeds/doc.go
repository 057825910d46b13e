// Package seeds holds the product's reference data (the territory of the Académie de Créteil
// and the school calendar, derived from the open data described in reference/SOURCES.md),
// the readers of the file formats users import (the ministry's "Annuaire de l'éducation",
// the seeds' own CSV as French Excel saves it), and the generator of synthetic national-scale
// data used by benchmarks. Loaders go through the models.Store, by natural key, so that
// loading twice changes nothing.
package seeds
