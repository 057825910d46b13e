package models

import (
	"errors"
	"slices"
	"strings"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// checkFinancement validates the plan form against the rules, the reference data and the
// actor's scope, and returns the plan and its communes (sorted by INSEE code).
func checkFinancement(tx *gorm.DB, actor Actor, in FinancementInput) (Financement, []FinancementCommune, error) {
	var errs ValidationError
	f := Financement{Titre: strings.TrimSpace(in.Titre), Portage: strings.TrimSpace(in.Portage),
		DepartementCode: strings.TrimSpace(in.Departement), CleRepartition: strings.TrimSpace(in.Cle),
		Notes: strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))}
	if msg := textProblem("Le titre du plan", f.Titre, MaxFinancementTitre, true, false); msg != "" {
		errs.Add(0, "titre", msg)
	}
	if msg := textProblem("Les notes", f.Notes, MaxFinancementNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	depOK := false
	switch {
	case f.DepartementCode == "":
		errs.Add(0, "departement", "Choisissez le département du plan.")
	default:
		var n int64
		if err := tx.Table("departements").Where("code = ?", dbText(f.DepartementCode)).Count(&n).Error; err != nil {
			return f, nil, err
		}
		switch {
		case n == 0:
			errs.Add(0, "departement", "Département inconnu : choisissez dans la liste.")
		case actor.Role == RoleIA && !slices.Contains(actor.Scope.Departements, f.DepartementCode):
			errs.Add(0, "departement", "Ce département est hors de votre périmètre : choisissez le vôtre.")
		default:
			depOK = true
		}
	}
	switch {
	case f.Portage == "":
		errs.Add(0, "portage", "Choisissez le portage du plan.")
	case !ValidPortage(f.Portage):
		errs.Add(0, "portage", "Portage inconnu : choisissez dans la liste.")
	}
	if f.Portage == PortageCommune {
		f.CleRepartition = CleEleves
	} else if f.CleRepartition == "" {
		errs.Add(0, "cle", "Choisissez la clé de répartition entre les communes.")
	} else if !ValidCle(f.CleRepartition) {
		errs.Add(0, "cle", "Clé de répartition inconnue : choisissez dans la liste.")
	}
	var communes []FinancementCommune
	if depOK && ValidPortage(f.Portage) {
		var err error
		if communes, err = checkPortage(tx, &f, in, &errs); err != nil {
			return f, nil, err
		}
	}
	if in.ConventionID > 0 {
		if depOK {
			var n int64
			if err := conventionsForPlans(tx, actor.Scope, f.DepartementCode).Where("c.id = ?", in.ConventionID).Count(&n).Error; err != nil {
				return f, nil, err
			}
			if n == 0 {
				errs.Add(0, "convention", "Convention inconnue ou d'un autre département : choisissez dans la liste.")
			}
		}
		id := in.ConventionID
		f.ConventionID = &id
	}
	return f, communes, errs.OrNil()
}

// checkPortage checks the commune, the EPCI or the group of communes of the portage, all
// in the plan's département, and the fixed shares with the "parts" key.
func checkPortage(tx *gorm.DB, f *Financement, in FinancementInput, errs *ValidationError) ([]FinancementCommune, error) {
	switch f.Portage {
	case PortageCommune:
		return portageCommune(tx, f, in, errs)
	case PortageIntercommunalite:
		return portageIntercommunalite(tx, f, in, errs)
	}
	return portageGroupement(tx, f, in, errs)
}

// communesInDep returns those of codes that are communes of the plan's département, in order.
func communesInDep(tx *gorm.DB, f *Financement, codes []string) ([]string, error) {
	var known []string
	err := tx.Table("communes").Where("code_insee IN ? AND departement_code = ?", dbTexts(codes), f.DepartementCode).
		Order("code_insee").Pluck("code_insee", &known).Error
	return known, err
}

// portageCommune checks the one commune that carries the plan alone.
func portageCommune(tx *gorm.DB, f *Financement, in FinancementInput, errs *ValidationError) ([]FinancementCommune, error) {
	code := strings.ToUpper(strings.TrimSpace(in.Commune))
	if code == "" {
		errs.Add(0, "commune", "Indiquez le code INSEE de la commune (exemple : 93008).")
		return nil, nil
	}
	known, err := communesInDep(tx, f, []string{code})
	if err != nil {
		return nil, err
	}
	if len(known) == 0 {
		errs.Add(0, "commune", "Commune inconnue dans le département "+f.DepartementCode+" : code INSEE attendu (exemple : 93008).")
		return nil, nil
	}
	f.CodeINSEE = &known[0]
	return []FinancementCommune{{CodeINSEE: code}}, nil
}

// portageIntercommunalite checks the intercommunalité and the communes named among its
// members of the département (all of them when none is named and no fixed share is asked).
func portageIntercommunalite(tx *gorm.DB, f *Financement, in FinancementInput, errs *ValidationError) ([]FinancementCommune, error) {
	siren := strings.TrimSpace(in.EPCI)
	if siren == "" {
		errs.Add(0, "epci", "Indiquez le SIREN de l'intercommunalité (9 chiffres).")
		return nil, nil
	}
	var members []string
	if err := tx.Table("communes").Where("(epci_siren = ? OR ept_siren = ?) AND departement_code = ?", dbText(siren), dbText(siren), f.DepartementCode).
		Order("code_insee").Pluck("code_insee", &members).Error; err != nil {
		return nil, err
	}
	if len(members) == 0 {
		errs.Add(0, "epci", "Intercommunalité inconnue ou sans commune dans le département "+f.DepartementCode+".")
		return nil, nil
	}
	f.EPCISiren = &siren
	entries, ok := parseCommuneEntries(in.Communes, f.CleRepartition == CleParts, errs)
	if !ok {
		return nil, nil
	}
	if len(entries) == 0 {
		if f.CleRepartition == CleParts {
			errs.Add(0, "communes", "Avec des parts fixes, indiquez la part de chaque commune (exemple : 93008 : 60 ; 93010 : 40).")
			return nil, nil
		}
		out := make([]FinancementCommune, len(members))
		for i, m := range members {
			out[i] = FinancementCommune{CodeINSEE: m}
		}
		return out, nil
	}
	if outside := notIn(entryCodes(entries), members); len(outside) > 0 {
		errs.Add(0, "communes", "Ces communes ne sont pas membres de l'intercommunalité dans le département : "+strings.Join(outside, ", ")+".")
		return nil, nil
	}
	return checkParts(entries, f.CleRepartition, errs), nil
}

// portageGroupement checks a group of at least two communes of the département.
func portageGroupement(tx *gorm.DB, f *Financement, in FinancementInput, errs *ValidationError) ([]FinancementCommune, error) {
	entries, ok := parseCommuneEntries(in.Communes, f.CleRepartition == CleParts, errs)
	if !ok {
		return nil, nil
	}
	if len(entries) < 2 {
		errs.Add(0, "communes", "Un groupement de commandes réunit au moins deux communes : indiquez leurs codes INSEE (exemple : 93008, 93010).")
		return nil, nil
	}
	codes := entryCodes(entries)
	known, err := communesInDep(tx, f, codes)
	if err != nil {
		return nil, err
	}
	if unknown := notIn(codes, known); len(unknown) > 0 {
		errs.Add(0, "communes", "Codes INSEE inconnus dans le département "+f.DepartementCode+" : "+strings.Join(unknown, ", ")+".")
		return nil, nil
	}
	return checkParts(entries, f.CleRepartition, errs), nil
}

// entryCodes returns the INSEE codes of entries, in order.
func entryCodes(entries []FinancementCommune) []string {
	codes := make([]string, len(entries))
	for i, e := range entries {
		codes[i] = e.CodeINSEE
	}
	return codes
}

// notIn returns the codes that are not in set, in order.
func notIn(codes, set []string) []string {
	var out []string
	for _, c := range codes {
		if !slices.Contains(set, c) {
			out = append(out, c)
		}
	}
	return out
}

// checkParts keeps the fixed shares with the "parts" key only, and checks that each commune
// has one and that they add up to exactly 100 %.
func checkParts(entries []FinancementCommune, cle string, errs *ValidationError) []FinancementCommune {
	if cle != CleParts {
		for i := range entries {
			entries[i].PartFixe = nil
		}
		return entries
	}
	sum, missing := 0, []string{}
	for _, e := range entries {
		if e.PartFixe == nil {
			missing = append(missing, e.CodeINSEE)
			continue
		}
		sum += *e.PartFixe
	}
	switch {
	case len(missing) > 0:
		errs.Add(0, "communes", "Part fixe manquante pour "+strings.Join(missing, ", ")+" : écrivez « code : part », par exemple 93008 : 60.")
	case sum != 10000:
		errs.Add(0, "communes", "Les parts fixes totalisent "+fr.Percent(sum)+" : elles doivent totaliser exactement 100 %.")
	}
	return entries
}

// parseCommuneEntries reads "93008, 93010" or, with shares, "93008 : 60 ; 93010 : 40"
// (entries separated by line breaks or semicolons). ok is false after a field error.
func parseCommuneEntries(s string, withParts bool, errs *ValidationError) ([]FinancementCommune, bool) {
	seen := map[string]bool{}
	var out []FinancementCommune
	var bad []string
	add := func(code string, part *int) {
		code = strings.ToUpper(strings.TrimSpace(code))
		if code == "" || seen[code] {
			return
		}
		if !ValidINSEE(code) {
			bad = append(bad, code)
			return
		}
		seen[code] = true
		out = append(out, FinancementCommune{CodeINSEE: code, PartFixe: part})
	}
	for _, entry := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' }) {
		code, share, hasShare := strings.Cut(entry, ":")
		if !hasShare {
			code, share, hasShare = strings.Cut(entry, "=")
		}
		if !hasShare {
			for _, c := range strings.FieldsFunc(entry, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				add(c, nil)
			}
			continue
		}
		if !withParts {
			errs.Add(0, "communes", "Une part fixe n'a de sens qu'avec la clé « Parts fixes » : choisissez-la, ou retirez les parts.")
			return nil, false
		}
		share = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(share), "%"))
		n, err := ParseEuros(share) // hundredths of a percent, written like an amount
		if err != nil || n > 10000 {
			msg := "Part invalide pour " + strings.TrimSpace(code) + " : un pourcentage entre 0 et 100, deux décimales au plus (exemple : 33,33)."
			if errors.Is(err, ErrAmountAmbiguous) {
				msg = "Part ambiguë pour " + strings.TrimSpace(code) + " : deux décimales au plus (exemple : 33,33)."
			}
			errs.Add(0, "communes", msg)
			return nil, false
		}
		part := int(n)
		add(code, &part)
	}
	if len(bad) > 0 {
		errs.Add(0, "communes", "Codes INSEE invalides : "+strings.Join(bad, ", ")+" (exemple attendu : 93008).")
		return nil, false
	}
	if len(out) > MaxFinancementCommunes {
		errs.Add(0, "communes", "Trop de communes : 300 au plus.")
		return nil, false
	}
	slices.SortFunc(out, func(a, b FinancementCommune) int { return strings.Compare(a.CodeINSEE, b.CodeINSEE) })
	return out, true
}

// CommunesInputOf writes a plan's communes as the form shows them: "93008, 93010", or one
// "93008 : 60" per line with fixed shares.
func CommunesInputOf(parts []FinancementCommune, withParts bool) string {
	entries := make([]string, len(parts))
	for i, p := range parts {
		entries[i] = p.CodeINSEE
		if withParts && p.PartFixe != nil {
			entries[i] += " : " + strings.TrimSuffix(fr.Percent(*p.PartFixe), fr.NNBSP+"%")
		}
	}
	if withParts {
		return strings.Join(entries, "\n")
	}
	return strings.Join(entries, ", ")
}
