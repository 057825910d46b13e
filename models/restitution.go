package models

import (
	"context"
	"slices"
)

// The restitution (issue 17): the programme as open data, a bundle of CSV files that another
// académie can read. This file says what each file holds (its columns, their types and
// descriptions, its key); restitution_read.go reads the rows. Only figures and the
// programme's public facts leave: no person's name, email or telephone, no free text that
// could hold one (notes, comments, motives, agendas), no signatory, no author of a change.

// The types of the columns, as the Frictionless Table Schema names them.
const (
	RestString  = "string"
	RestInteger = "integer"
	RestNumber  = "number"
	RestDate    = "date"
	RestBoolean = "boolean"
)

// RestitutionField is a column of a file of the bundle.
type RestitutionField struct {
	Name        string
	Type        string // RestString, RestInteger, RestNumber, RestDate, RestBoolean
	Description string // in French
	Required    bool
	// Cents marks an amount read in integer cents and written in euros (a number with two
	// decimals).
	Cents bool
}

// RestitutionTable is a file of the bundle: Name is its resource name and file stem.
type RestitutionTable struct {
	Name, Title, Description string
	Fields                   []RestitutionField
	PrimaryKey               []string
	// query is the SQL that reads its rows, its columns in the order of Fields; each, when
	// set, reads them instead.
	query func(s *Store) string
	each  func(ctx context.Context, s *Store, scope Scope, fn func([]any) error) error
}

func rStr(name, desc string) RestitutionField {
	return RestitutionField{Name: name, Type: RestString, Description: desc}
}
func rReq(f RestitutionField) RestitutionField { f.Required = true; return f }
func rInt(name, desc string) RestitutionField {
	return RestitutionField{Name: name, Type: RestInteger, Description: desc}
}
func rDate(name, desc string) RestitutionField {
	return RestitutionField{Name: name, Type: RestDate, Description: desc}
}
func rEuros(name, desc string) RestitutionField {
	return RestitutionField{Name: name, Type: RestNumber, Description: desc + " (euros)", Cents: true}
}

// Fields shared by many files.
var (
	restDepartement = rStr("departement", "Code du département (77, 93, 94…)")
	restCodeINSEE   = rStr("code_insee", "Code INSEE de la commune (Code officiel géographique)")
	restUAI         = rStr("uai", "Identifiant national de l'école (UAI, ex-RNE)")
	restCirco       = rStr("code_circonscription", "Code (UAI) de la circonscription du premier degré")
)

// RestitutionTables are the files of the bundle, in the order of the bundle.
func RestitutionTables() []RestitutionTable {
	return slices.Concat(restitutionPlan(), restitutionConventions(), restitutionFigures())
}

// restitutionPlan are the plan, its baselines, the deployments and the milestones.
func restitutionPlan() []RestitutionTable {
	return []RestitutionTable{
		{Name: "vagues", Title: "Vagues du plan de déploiement",
			Description: "Les vagues du plan : sites pilotes, puis vagues de déploiement par année scolaire.",
			Fields: []RestitutionField{rReq(rInt("id", "Identifiant de la vague")), rReq(rStr("nom", "Nom de la vague")),
				rReq(rStr("annee_scolaire", "Année scolaire, par exemple 2013-2014")),
				rReq(RestitutionField{Name: "pilote", Type: RestBoolean, Description: "Vague de sites pilotes"}),
				rStr("departement", "Code du département de la vague ; vide pour une vague de l'académie"),
				rDate("ouverture_prevue", "Date d'ouverture prévue"), rInt("cible_ecoles", "Nombre d'écoles visé")},
			PrimaryKey: []string{"id"}, query: func(*Store) string {
				return "SELECT id, nom, annee_scolaire, pilote, departement_code, ouverture_prevue, cible_ecoles FROM vagues " +
					"WHERE archived_at IS NULL ORDER BY id"
			}},
		{Name: "references", Title: "Références (versions gelées) du plan",
			Description: "Les références du plan : copies gelées des dates prévues, contre lesquelles le glissement est mesuré.",
			Fields: []RestitutionField{rReq(rInt("id", "Identifiant de la référence")), rReq(rStr("nom", "Nom de la référence")),
				rReq(rDate("date_gel", "Date du gel (UTC)")), rStr("departement", "Code du département ; vide pour une référence de l'académie")},
			PrimaryKey: []string{"id"}, query: func(*Store) string {
				return "SELECT id, nom, date_gel, departement_code FROM plan_references ORDER BY id"
			}},
		{Name: "references-vagues", Title: "Dates prévues des vagues dans chaque référence",
			Fields: []RestitutionField{rReq(rInt("reference_id", "Identifiant de la référence")),
				rReq(rInt("vague_id", "Identifiant de la vague")), rDate("ouverture_prevue", "Ouverture prévue au moment du gel")},
			PrimaryKey: []string{"reference_id", "vague_id"}, query: func(*Store) string {
				return "SELECT reference_id, vague_id, ouverture_prevue FROM plan_reference_vagues ORDER BY reference_id, vague_id"
			}},
		{Name: "references-jalons", Title: "Dates prévues des jalons dans chaque référence",
			Fields: []RestitutionField{rReq(rInt("reference_id", "Identifiant de la référence")),
				rReq(rInt("jalon_id", "Identifiant du jalon")), rReq(rDate("date_prevue", "Date prévue au moment du gel"))},
			PrimaryKey: []string{"reference_id", "jalon_id"}, query: func(*Store) string {
				return "SELECT reference_id, jalon_id, date_prevue FROM plan_reference_jalons ORDER BY reference_id, jalon_id"
			}},
		{Name: "references-ecoles", Title: "Vague et ouverture prévues de chaque école dans chaque référence",
			Fields: []RestitutionField{rReq(rInt("reference_id", "Identifiant de la référence")), rReq(restUAI),
				rInt("vague_id", "Identifiant de la vague prévue"), rDate("ouverture_prevue", "Ouverture prévue au moment du gel")},
			PrimaryKey: []string{"reference_id", "uai"}, query: func(*Store) string {
				return "SELECT reference_id, uai, vague_id, ouverture_prevue FROM plan_reference_ecoles ORDER BY reference_id, uai"
			}},
		{Name: "deploiements", Title: "Déploiement de l'ENT par école",
			Description: "Pour chaque école suivie : sa commune, sa phase (candidate, etude, pilote, en_deploiement, ouvert, generalise, abandonne), ses dates et sa solution ENT.",
			Fields: []RestitutionField{rReq(restUAI), rReq(rStr("ecole", "Nom de l'école")), rReq(restCodeINSEE),
				rReq(rStr("commune", "Nom de la commune")), rReq(restDepartement), restCirco,
				rReq(rStr("phase", "Phase du déploiement")), rReq(rDate("date_phase", "Date d'entrée dans la phase")),
				rInt("vague_id", "Identifiant de la vague"), rDate("ouverture_prevue", "Ouverture prévue"),
				rDate("ouverture_effective", "Ouverture effective"), rStr("solution", "Solution ENT (produit)"),
				rStr("editeur", "Éditeur de la solution")},
			PrimaryKey: []string{"uai"}, query: func(*Store) string {
				return "SELECT d.uai, e.nom, d.code_insee, c.nom, d.departement_code, d.code_circonscription, d.phase, d.date_phase, " +
					"d.vague_id, d.ouverture_prevue, d.ouverture_effective, so.produit, o.nom " +
					"FROM deploiements d JOIN ecoles e ON e.uai = d.uai JOIN communes c ON c.code_insee = d.code_insee " +
					"LEFT JOIN solutions_ent so ON so.id = d.solution_id AND so.archived_at IS NULL " +
					"LEFT JOIN organisations o ON o.id = so.editeur_id ORDER BY d.uai"
			}},
		{Name: "jalons", Title: "Jalons du plan",
			Description: "Les étapes datées du plan (académie, département ou commune) ; statut a_venir, en_cours, atteint ou annule.",
			Fields: []RestitutionField{rReq(rInt("id", "Identifiant du jalon")), rReq(rStr("titre", "Intitulé du jalon")),
				rReq(rStr("niveau", "Niveau : academie, departement ou commune")), restDepartement, restCodeINSEE,
				rReq(rDate("date_prevue", "Date prévue")), rDate("date_effective", "Date effective"), rReq(rStr("statut", "Statut du jalon")),
				rInt("vague_id", "Identifiant de la vague concernée"), rInt("convention_id", "Identifiant de la convention concernée")},
			PrimaryKey: []string{"id"}, query: func(*Store) string {
				return "SELECT id, titre, niveau, departement_code, code_insee, date_prevue, date_effective, statut, vague_id, convention_id " +
					"FROM jalons WHERE archived_at IS NULL ORDER BY id"
			}},
	}
}

// restitutionConventions are the conventions, their communes, the charter and its adoptions.
func restitutionConventions() []RestitutionTable {
	return []RestitutionTable{
		{Name: "conventions", Title: "Conventions",
			Description: "Convention cadre, conventions départementales et locales : type, statut et dates. Les signataires ne sont pas publiés.",
			Fields: []RestitutionField{rReq(rInt("id", "Identifiant de la convention")), rReq(rStr("reference", "Numéro de la convention")),
				rReq(rStr("type", "Type : cadre, departementale ou locale")), rInt("parent_id", "Identifiant de la convention parente"),
				restDepartement, rStr("epci_siren", "SIREN du groupement signataire"), rReq(rStr("titre", "Intitulé")),
				rReq(rStr("statut", "Statut : brouillon, negociation, deliberation, signature, signee, en_vigueur, echue, resiliee")),
				rStr("charte_version", "Numéro de la version de la charte visée"),
				rDate("date_deliberation", "Date de la délibération"), rDate("date_signature", "Date de signature"),
				rDate("date_effet", "Date d'effet"), rDate("date_expiration", "Date d'expiration"), rDate("date_fin", "Date de fin"),
				rDate("date_resiliation", "Date de résiliation")},
			PrimaryKey: []string{"id"}, query: func(*Store) string {
				return "SELECT cv.id, cv.reference, cv.kind, cv.parent_id, cv.departement_code, cv.epci_siren, cv.titre, cv.statut, ch.numero, " +
					"cv.date_deliberation, cv.date_signature, cv.date_effet, cv.date_expiration, cv.date_fin, cv.date_resiliation " +
					"FROM conventions cv LEFT JOIN charte_versions ch ON ch.id = cv.charte_version_id WHERE cv.archived_at IS NULL ORDER BY cv.id"
			}},
		{Name: "conventions-communes", Title: "Communes couvertes par chaque convention",
			Fields: []RestitutionField{rReq(rInt("convention_id", "Identifiant de la convention")), rReq(restCodeINSEE),
				rReq(rStr("commune", "Nom de la commune"))},
			PrimaryKey: []string{"convention_id", "code_insee"}, query: func(*Store) string {
				return "SELECT cc.convention_id, cc.code_insee, c.nom FROM convention_communes cc " +
					"JOIN conventions cv ON cv.id = cc.convention_id AND cv.archived_at IS NULL " +
					"JOIN communes c ON c.code_insee = cc.code_insee ORDER BY cc.convention_id, cc.code_insee"
			}},
		{Name: "chartes", Title: "Versions de la charte des ENT du premier degré",
			Fields: []RestitutionField{rReq(rInt("id", "Identifiant de la version")), rReq(rStr("numero", "Numéro de version")),
				rReq(rDate("date_version", "Date de la version")), rReq(rStr("statut", "Statut : projet, adoptee, remplacee"))},
			PrimaryKey: []string{"id"}, query: func(*Store) string {
				return "SELECT id, numero, date_version, statut FROM charte_versions WHERE archived_at IS NULL ORDER BY id"
			}},
		{Name: "adoptions-charte", Title: "Adoptions de la charte par les collectivités",
			Description: "Chaque délibération d'une commune ou d'un EPCI adoptant une version de la charte.",
			Fields: []RestitutionField{rReq(rInt("id", "Identifiant de l'adoption")), rReq(rInt("charte_id", "Identifiant de la version de la charte")),
				rReq(rStr("charte_version", "Numéro de la version adoptée")), rStr("code_insee", "Code INSEE de la commune qui adopte"),
				rStr("epci_siren", "SIREN de l'EPCI qui adopte"), rReq(rStr("collectivite", "Nom de la collectivité")),
				rReq(RestitutionField{Name: "couvre_membres", Type: RestBoolean, Description: "L'adoption de l'EPCI vaut pour ses communes membres"}),
				rStr("deliberation_ref", "Référence de la délibération"), rReq(rDate("deliberation_date", "Date de la délibération"))},
			PrimaryKey: []string{"id"}, query: func(*Store) string {
				return "SELECT a.id, a.charte_version_id, ch.numero, a.code_insee, a.epci_siren, COALESCE(c.nom, ep.nom), a.couvre_membres, " +
					"a.deliberation_ref, a.deliberation_date FROM adoptions a JOIN charte_versions ch ON ch.id = a.charte_version_id " +
					"LEFT JOIN communes c ON c.code_insee = a.code_insee LEFT JOIN epci ep ON ep.siren = a.epci_siren " +
					"WHERE a.archived_at IS NULL ORDER BY a.id"
			}},
	}
}
