// Package models is the data layer of Pilotage ENT 1D: the gorm models, the Store that owns the
// database, the territorial scope applied inside every query, and the versioned migrations.
//
// Every Store function takes a context first and, for reads of lists and records, the caller's
// Scope. Nothing outside this package builds SQL. The package imports none of the other packages
// of the product but the leaf views/fr (French formats of numbers, euros and dates); documents
// built from its rows (workbooks, iCalendar feeds, convention drafts) are in exports.
package models
