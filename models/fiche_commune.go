package models

import (
	"cmp"
	"context"
	"slices"
)

// The fiche of a commune (issue 15): one page, printable, that tells its mayor where the
// town stands — its écoles and their ENT, its conventions in force, the charter, its share
// of the financing plans, the teachers trained, the next milestone and whom to ask. Every
// part is read through the reader's scope by the same functions as the module's own pages.

// FicheCommune is the fiche of a commune.
type FicheCommune struct {
	Commune     CommuneRow
	Ecoles      []DeploiementRow // every école of the commune, in or out of the programme
	ENT         CommuneENT
	Conventions []ConventionRow // in force, covering the commune
	Charte      CommuneCharte
	Plans       []FichePlan
	Formation   FormationCoverageRow // the écoles opened of the commune and their teachers trained
	Jalon       *JalonRow            // the next milestone of the commune, or else of its département
	Contacts    []OrganisationRow    // the DSDEN of the département and the AMIF
}

// FichePlan is a financing plan of the commune with the commune's share.
type FichePlan struct {
	Plan  FinancementRow
	Share PlanCommune
}

// FicheOf returns the fiche of the commune code in the scope (ErrNotFound outside it: the
// reference pages show every commune, the fiche only those of the reader's territory).
func (s *Store) FicheOf(ctx context.Context, scope Scope, code string) (FicheCommune, error) {
	var out FicheCommune
	var err error
	if out.Charte, err = s.CommuneCharteOf(ctx, scope, code); err != nil || !out.Charte.InScope {
		return out, cmp.Or(err, ErrNotFound)
	}
	if out.Commune, err = s.GetCommune(ctx, scope, code); err != nil {
		return out, err
	}
	all := PageRequest{Size: MaxPageSize}
	ecoles, err := s.ListDeploiements(ctx, scope, DeploiementFilter{Commune: code}, all)
	if err != nil {
		return out, err
	}
	out.Ecoles = ecoles.Items
	if out.ENT, err = s.CommuneENTOf(ctx, scope, code); err != nil {
		return out, err
	}
	convs, err := s.ListConventions(ctx, scope, ConventionFilter{Commune: code, Statut: StatutEnVigueur}, all)
	if err != nil {
		return out, err
	}
	out.Conventions = convs.Items
	if out.Plans, err = s.fichePlans(ctx, scope, code); err != nil {
		return out, err
	}
	cov, err := s.CoverageFormation(ctx, scope, CoverageFilter{Commune: code}, "commune")
	if err != nil {
		return out, err
	}
	out.Formation = cov.Total
	if out.Jalon, err = s.nextJalon(ctx, scope, out.Commune); err != nil {
		return out, err
	}
	out.Contacts, err = s.ficheContacts(ctx, scope, out.Commune.DepartementCode)
	return out, err
}

// fichePlans are the live financing plans of the commune with its share of each.
func (s *Store) fichePlans(ctx context.Context, scope Scope, code string) ([]FichePlan, error) {
	plans, err := s.ListFinancements(ctx, scope, FinancementFilter{Commune: code}, PageRequest{Size: MaxPageSize})
	if err != nil {
		return nil, err
	}
	out := make([]FichePlan, 0, len(plans.Items))
	for _, p := range plans.Items {
		plan, err := s.GetFinancementPlan(ctx, scope, p.ID)
		if err != nil {
			return nil, err
		}
		fp := FichePlan{Plan: p}
		if i := slices.IndexFunc(plan.CommunesDetail, func(c PlanCommune) bool { return c.CodeINSEE == code }); i >= 0 {
			fp.Share = plan.CommunesDetail[i]
		}
		out = append(out, fp)
	}
	return out, nil
}

// nextJalon is the first milestone still open (not reached, not cancelled) of the commune
// by date, or else of its département; nil without any.
func (s *Store) nextJalon(ctx context.Context, scope Scope, c CommuneRow) (*JalonRow, error) {
	for _, f := range []JalonFilter{{Commune: c.CodeINSEE}, {Niveau: NiveauDepartement, Departement: c.DepartementCode}} {
		page, err := s.ListJalons(ctx, scope, f, PageRequest{Size: MaxPageSize})
		if err != nil {
			return nil, err
		}
		var next *JalonRow
		for i, j := range page.Items {
			if !j.Closed() && (next == nil || j.DatePrevue.Before(next.DatePrevue)) {
				next = &page.Items[i]
			}
		}
		if next != nil {
			return next, nil
		}
	}
	return nil, nil
}

// ficheContacts are the organisations a mayor turns to: the DSDEN of the département and
// the AMIF (their names, addresses and sites; no person).
func (s *Store) ficheContacts(ctx context.Context, scope Scope, dep string) ([]OrganisationRow, error) {
	var out []OrganisationRow
	for _, f := range []OrganisationFilter{{Kind: OrgDSDEN, Departement: dep}, {Kind: OrgAMIF}} {
		page, err := s.ListOrganisations(ctx, scope, f, PageRequest{Size: 5})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
	}
	return out, nil
}

// MaxFiches bounds a batch of fiches (the largest département of the académie, the 77,
// has 507 communes).
const MaxFiches = 1000

// FichesFilter chooses the communes of a batch of fiches: a département, an EPCI or EPT,
// or a list of INSEE codes (any of them, combined).
type FichesFilter struct {
	Departement string
	EPCI        string
	Communes    []string
}

// FicheCodes returns the INSEE codes of the communes of the scope the filter chooses, by
// name, at most MaxFiches of them.
func (s *Store) FicheCodes(ctx context.Context, scope Scope, f FichesFilter) ([]string, error) {
	q := scope.within(s.db.WithContext(ctx).Table("communes AS c"), "c", communesTerritory, reachRead)
	if f.Departement != "" {
		q = q.Where("c.departement_code = ?", dbText(f.Departement))
	}
	if f.EPCI != "" {
		q = q.Where("(c.epci_siren = ? OR c.ept_siren = ?)", dbText(f.EPCI), dbText(f.EPCI))
	}
	if f.Communes != nil {
		q = q.Where("c.code_insee IN ?", f.Communes)
	}
	var codes []string
	err := q.Order("c.nom, c.code_insee").Limit(MaxFiches).Pluck("c.code_insee", &codes).Error
	return codes, err
}
