package app

import "github.com/ac-creteil/pilotage/seeds"

// EncodeLotForTest encodes the lot of a preview, for the tests of forged confirmations.
func EncodeLotForTest(imp *seeds.DeploiementsImport) (string, error) { return encodeLot(imp) }
