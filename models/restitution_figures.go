package models

// The aggregated files of the restitution: financing, training and usage, counts and sums only.

// restitutionFigures are the financing, training and usage aggregates.
func restitutionFigures() []RestitutionTable {
	return []RestitutionTable{
		{Name: "financements-annuels", Title: "Financements par année, financeur et nature",
			Description: "Sommes des lignes des plans de financement, par département, année, financeur (commune, epci, etat, departement, region, autre) et nature (investissement, fonctionnement).",
			Fields: []RestitutionField{rReq(restDepartement), rReq(rInt("annee", "Année (première année de l'année scolaire, ou année civile)")),
				rReq(rStr("type_annee", "Type d'année : scolaire ou civile")), rReq(rStr("financeur", "Financeur")),
				rReq(rStr("nature", "Nature de la dépense")), rReq(rInt("nb_plans", "Nombre de plans de financement")),
				rReq(rEuros("montant_prevu", "Montant prévu")), rEuros("montant_realise", "Montant réalisé, vide quand aucun n'est connu")},
			PrimaryKey: []string{"departement", "annee", "type_annee", "financeur", "nature"}, query: func(*Store) string {
				return "SELECT f.departement_code, l.annee, l.type_annee, l.financeur, l.nature, COUNT(DISTINCT f.id), " +
					"SUM(l.prevu_centimes), SUM(l.realise_centimes) FROM financement_lignes l " +
					"JOIN financements f ON f.id = l.financement_id AND f.archived_at IS NULL " +
					"GROUP BY f.departement_code, l.annee, l.type_annee, l.financeur, l.nature " +
					"ORDER BY f.departement_code, l.annee, l.type_annee, l.financeur, l.nature"
			}},
		{Name: "financements-communes", Title: "Part de chaque commune dans les plans de financement",
			Description: "Pour chaque plan, la part de chaque commune de chaque montant (année × financeur × nature), " +
				"répartie selon la clé du plan (élèves, écoles, population ou parts fixes) comme sur la page du plan.",
			Fields: []RestitutionField{rReq(rInt("financement_id", "Identifiant du plan de financement")), rReq(restCodeINSEE),
				rReq(rStr("commune", "Nom de la commune")), rReq(restDepartement),
				rReq(rStr("portage", "Portage : commune, intercommunalite ou groupement")),
				rReq(rStr("cle_repartition", "Clé de répartition : eleves, ecoles, population ou parts")),
				rReq(rInt("annee", "Année")), rReq(rStr("type_annee", "Type d'année : scolaire ou civile")),
				rReq(rStr("financeur", "Financeur")), rReq(rStr("nature", "Nature de la dépense")),
				rReq(rEuros("part_prevue", "Part du montant prévu")), rEuros("part_realisee", "Part du montant réalisé, vide quand aucun n'est connu")},
			PrimaryKey: []string{"financement_id", "code_insee", "annee", "type_annee", "financeur", "nature"},
			each:       eachFinancementShare},
		{Name: "formations-circonscriptions", Title: "Sessions de formation et personnes formées par circonscription",
			Description: "Par département, circonscription (vide : sessions départementales), année scolaire du plan de formation et public : " +
				"sessions non annulées, sessions tenues, places, inscrits et personnes formées (présentes aux sessions tenues). Effectifs seulement.",
			Fields: []RestitutionField{rReq(restDepartement), restCirco, rReq(rStr("annee_scolaire", "Année scolaire du plan de formation")),
				rReq(rStr("public", "Public : enseignants, directeurs, formateurs, agents_municipaux, elus")),
				rReq(rInt("sessions", "Sessions non annulées")), rReq(rInt("sessions_tenues", "Sessions tenues")),
				rReq(rInt("places", "Places offertes")), rReq(rInt("inscrits", "Personnes inscrites")),
				rReq(rInt("personnes_formees", "Personnes présentes aux sessions tenues"))},
			query: func(*Store) string {
				return "SELECT f.departement_code, f.code_circonscription, p.annee_scolaire, f.public, COUNT(*), " +
					"SUM(CASE WHEN f.statut = 'tenue' THEN 1 ELSE 0 END), SUM(f.capacite), SUM(f.inscrits), COALESCE(SUM(t.presents), 0) " +
					"FROM formations f JOIN plans_formation p ON p.id = f.plan_id " +
					"LEFT JOIN (SELECT fi.formation_id, SUM(CASE WHEN fi.kind = 'ecole' THEN COALESCE(fi.presents, 0) ELSE 1 END) AS presents " +
					"FROM formation_inscriptions fi WHERE fi.statut = 'inscrit' AND (fi.kind = 'ecole' OR fi.presence = 'present') " +
					"GROUP BY fi.formation_id) t ON t.formation_id = f.id AND f.statut = 'tenue' " +
					"WHERE f.archived_at IS NULL AND f.statut <> 'annulee' " +
					"GROUP BY f.departement_code, f.code_circonscription, p.annee_scolaire, f.public " +
					"ORDER BY f.departement_code, COALESCE(f.code_circonscription, ''), p.annee_scolaire, f.public"
			}},
		{Name: "formations-ecoles", Title: "Enseignants formés par école",
			Description: "Par école : enseignants et directeurs présents aux sessions tenues (effectif, sans nom).",
			Fields: []RestitutionField{rReq(restUAI), rReq(restCodeINSEE), rReq(restDepartement), restCirco,
				rReq(rInt("enseignants_formes", "Enseignants et directeurs formés"))},
			PrimaryKey: []string{"uai"}, query: func(*Store) string {
				return "SELECT t.uai, e.code_insee, e.departement_code, e.code_circonscription, t.formes " +
					"FROM formation_formes t JOIN ecoles e ON e.uai = t.uai WHERE t.formes > 0 ORDER BY t.uai"
			}},
		{Name: "usages-ecoles-mois", Title: "Usages de l'ENT par école, mois et profil",
			Description: "Les chiffres mensuels conservés de la plateforme ENT : comptes chargés et activés (au dernier relevé du mois), " +
				"connexions et visiteurs (sommés sur le mois). Un chiffre inconnu est vide.",
			Fields: []RestitutionField{rReq(restUAI), rReq(restDepartement), rReq(restCodeINSEE),
				rReq(RestitutionField{Name: "mois", Type: RestDate, Description: "Premier jour du mois"}),
				rReq(rStr("profil", "Profil : eleve, parent, enseignant, personnel, invite")),
				rInt("comptes_charges", "Comptes chargés"), rInt("comptes_actives", "Comptes activés"),
				rInt("connexions", "Connexions"), rInt("visiteurs", "Visiteurs uniques")},
			PrimaryKey: []string{"uai", "mois", "profil"}, query: usageMonthsByEcoleSQL},
	}
}

// usageMonthsByEcoleSQL reads the monthly figures of each école as refreshUsageMonths keeps
// them per circonscription: the finest granularity stored is ignored when a coarser one is,
// flows are summed over the month, stocks are those of its latest period.
func usageMonthsByEcoleSQL(s *Store) string {
	month := "substr(u.periode, 1, 7) || '-01'"
	if s.dialect == Postgres {
		month = "to_char(u.periode, 'YYYY-MM') || '-01'"
	}
	return `WITH m AS (
	SELECT u.uai, u.profil, u.departement_code, u.code_insee, ` + month + ` AS mois, u.periode, u.connexions, u.visiteurs,
		u.comptes_charges, u.comptes_actives, CASE u.granularite WHEN 'mois' THEN 0 WHEN 'semaine' THEN 1 ELSE 2 END AS g
	FROM usages u
), k AS (
	SELECT m.*, MIN(g) OVER (PARTITION BY uai, profil, mois) AS gmin FROM m
), e AS (
	SELECT k.uai, k.departement_code, k.code_insee, k.mois, k.profil, k.comptes_charges AS ch, k.comptes_actives AS ac,
		SUM(k.connexions) OVER (PARTITION BY k.uai, k.profil, k.mois) AS cx,
		SUM(k.visiteurs) OVER (PARTITION BY k.uai, k.profil, k.mois) AS vi,
		ROW_NUMBER() OVER (PARTITION BY k.uai, k.profil, k.mois ORDER BY k.periode DESC) AS rn
	FROM k WHERE k.g = k.gmin
)
SELECT uai, departement_code, code_insee, mois, profil, ch, ac, cx, vi FROM e WHERE rn = 1 ORDER BY uai, mois, profil`
}
