package models

import (
	"errors"
	"strings"

	"gorm.io/gorm"
)

// checkHierarchy enforces the tree: a cadre has no parent, département nor commune; a
// départementale hangs under a live cadre and has a département; a locale hangs under the
// départementale of its département and covers communes of that département.
// The parent is read in the actor's scope: a convention the actor cannot see is "not in the
// list", not described.
func (s *Store) checkHierarchy(tx *gorm.DB, scope Scope, c *Convention, in ConventionInput, errs *ValidationError) ([]string, error) {
	dep := dbText(strings.TrimSpace(in.Departement))
	parent, err := hierarchyParent(tx, scope, in.ParentID, errs)
	if err != nil {
		return nil, err
	}
	switch c.Kind {
	case ConventionCadre:
		checkCadre(in, dep, errs)
		return nil, nil
	case ConventionDepartementale, ConventionLocale:
	default:
		return nil, nil
	}
	if err := checkConventionDepartement(tx, c, dep, errs); err != nil {
		return nil, err
	}
	checkParent(c, in.ParentID, parent, dep, errs)
	if c.Kind == ConventionDepartementale {
		if namesCommunes(in) {
			errs.Add(0, "communes", "La convention départementale vaut pour tout le département : ne désignez pas de communes.")
		}
		return nil, nil
	}
	if err := checkConventionEPCI(tx, c, in.EPCI, errs); err != nil {
		return nil, err
	}
	return checkLocaleCommunes(tx, c, in.Communes, dep, errs)
}

// hierarchyParent reads the chosen parent in the actor's scope; one out of sight is
// reported as not in the list.
func hierarchyParent(tx *gorm.DB, scope Scope, parentID int64, errs *ValidationError) (Convention, error) {
	if parentID <= 0 {
		return Convention{}, nil
	}
	parent, err := conventionsRead(tx, scope, parentID)
	if errors.Is(err, ErrNotFound) {
		errs.Add(0, "parent", "Choisissez la convention parente dans la liste.")
		return parent, nil
	}
	return parent, err
}

// namesCommunes tells whether the form designates communes or an EPCI.
func namesCommunes(in ConventionInput) bool {
	return strings.TrimSpace(in.Communes) != "" || strings.TrimSpace(in.EPCI) != ""
}

// checkCadre refuses a parent, a département and communes on a convention cadre.
func checkCadre(in ConventionInput, dep string, errs *ValidationError) {
	if in.ParentID > 0 {
		errs.Add(0, "parent", "La convention cadre n'a pas de convention parente.")
	}
	if dep != "" {
		errs.Add(0, "departement", "La convention cadre vaut pour toute l'académie : ne choisissez pas de département.")
	}
	if namesCommunes(in) {
		errs.Add(0, "communes", "La convention cadre ne désigne pas de communes.")
	}
}

// checkConventionDepartement requires a known département and sets it on c.
func checkConventionDepartement(tx *gorm.DB, c *Convention, dep string, errs *ValidationError) error {
	if dep == "" {
		errs.Add(0, "departement", "Choisissez le département.")
		return nil
	}
	known, err := existsOrReported(tx.Table("departements").Where("code = ?", dep), errs, "departement", "Département inconnu : choisissez dans la liste.")
	if known {
		c.DepartementCode = &dep
	}
	return err
}

// checkParent requires a parent of the kind just above c (the départementale of the same
// département for a locale) and sets it on c.
func checkParent(c *Convention, parentID int64, parent Convention, dep string, errs *ValidationError) {
	wantParent := map[string]string{ConventionDepartementale: ConventionCadre, ConventionLocale: ConventionDepartementale}[c.Kind]
	switch {
	case parentID == 0 && c.Kind == ConventionDepartementale:
		errs.Add(0, "parent", "Une convention départementale s'inscrit sous la convention cadre : choisissez-la.")
	case parentID == 0:
		errs.Add(0, "parent", "Une convention locale s'inscrit sous la convention départementale de son département : choisissez-la.")
	case parent.ID == 0:
	case parent.Kind != wantParent:
		errs.Add(0, "parent", "La convention parente d'une "+strings.ToLower(LabelOf(ConventionKinds, c.Kind))+
			" doit être une "+strings.ToLower(LabelOf(ConventionKinds, wantParent))+".")
	case c.Kind == ConventionLocale && parent.Departement() != dep:
		errs.Add(0, "parent", "La convention départementale choisie est celle du "+parent.Departement()+
			" : une convention locale s'inscrit sous celle de son propre département.")
	default:
		c.ParentID = &parent.ID
	}
}

// checkConventionEPCI sets a known EPCI on c when the form names one.
func checkConventionEPCI(tx *gorm.DB, c *Convention, raw string, errs *ValidationError) error {
	siren := strings.TrimSpace(raw)
	if siren == "" {
		return nil
	}
	known, err := existsOrReported(tx.Table("epci").Where("siren = ?", dbText(siren)), errs, "epci", "EPCI inconnu : choisissez dans la liste.")
	if known {
		c.EPCISiren = &siren
	}
	return err
}

// checkLocaleCommunes returns the communes a locale covers: the codes given, or else the
// EPCI's members in the département; between one and 500, all known and in the département.
func checkLocaleCommunes(tx *gorm.DB, c *Convention, raw, dep string, errs *ValidationError) ([]string, error) {
	codes := codeList(raw)
	if len(codes) == 0 && c.EPCISiren != nil && c.DepartementCode != nil {
		if err := tx.Table("communes").Where("(epci_siren = ? OR ept_siren = ?) AND departement_code = ?", *c.EPCISiren, *c.EPCISiren, dep).
			Order("code_insee").Pluck("code_insee", &codes).Error; err != nil {
			return nil, err
		}
	}
	if len(codes) == 0 {
		errs.Add(0, "communes", "Une convention locale couvre au moins une commune : indiquez leurs codes INSEE (ou un EPCI).")
		return nil, nil
	}
	if len(codes) > 500 {
		errs.Add(0, "communes", "Une convention locale couvre au plus 500 communes.")
		return nil, nil
	}
	if err := checkCommunesIn(tx, codes, dep, errs); err != nil {
		return nil, err
	}
	return codes, nil
}

// checkCommunesIn reports the codes that name no commune and those outside the département.
func checkCommunesIn(tx *gorm.DB, codes []string, dep string, errs *ValidationError) error {
	var found []struct {
		CodeINSEE       string `gorm:"column:code_insee"`
		DepartementCode string
	}
	if err := tx.Table("communes").Where("code_insee IN ?", codes).Select("code_insee, departement_code").Scan(&found).Error; err != nil {
		return err
	}
	known := map[string]string{}
	for _, f := range found {
		known[f.CodeINSEE] = f.DepartementCode
	}
	var unknown, elsewhere []string
	for _, code := range codes {
		switch d, ok := known[code]; {
		case !ok:
			unknown = append(unknown, code)
		case dep != "" && d != dep:
			elsewhere = append(elsewhere, code)
		}
	}
	if len(unknown) > 0 {
		errs.Add(0, "communes", "Codes INSEE inconnus : "+strings.Join(unknown, ", ")+".")
	}
	if len(elsewhere) > 0 {
		errs.Add(0, "communes", "Ces communes ne sont pas dans le département "+dep+" : "+strings.Join(elsewhere, ", ")+".")
	}
	return nil
}

// exists reports whether the query selects at least one row.
func exists(q *gorm.DB) (bool, error) {
	var n int64
	err := q.Count(&n).Error
	return n > 0, err
}

// existsOrReported is exists, adding msg on field to errs when the query selects no row.
func existsOrReported(q *gorm.DB, errs *ValidationError, field, msg string) (bool, error) {
	ok, err := exists(q)
	if err == nil && !ok {
		errs.Add(0, field, msg)
	}
	return ok, err
}
