package models_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// trainingWorld is the hand-computed example: three écoles of Villejuif opened (0940354Z
// with 4 classes, 0940400Z with 9, 0940410K with its 7 and nobody trained), two sessions
// held with known attendance and one to come.
type trainingWorld struct {
	held, directeurs, coming models.FormationRow
}

// openEcoles gives the écoles their number of classes and opens them.
func openEcoles(t *testing.T, s *models.Store, pilote models.Actor) {
	t.Helper()
	ctx := t.Context()
	circo := "Circonscription d'inspection du 1er degré de Villejuif"
	in := []models.EcoleInput{
		{UAI: "0940354Z", Nom: "ECOLE ELEMENTAIRE PUBLIQUE PASTEUR", Type: "elementaire", Statut: "public", CodeINSEE: "94076",
			CodeCirconscription: "0940920P", NomCirconscription: circo, NbClasses: ptrTo(4)},
		{UAI: "0940400Z", Nom: "ECOLE MATERNELLE PUBLIQUE KARL MARX", Type: "maternelle", Statut: "public", CodeINSEE: "94076",
			CodeCirconscription: "0940920P", NomCirconscription: circo, NbClasses: ptrTo(9)},
		{UAI: "0940410K", Nom: "ECOLE MATERNELLE PUBLIQUE MARCEL CACHIN", Type: "maternelle", Statut: "public", CodeINSEE: "94076",
			CodeCirconscription: "0940920P", NomCirconscription: circo, NbClasses: ptrTo(7)},
	}
	if _, err := s.ImportEcoles(ctx, in, models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var edits []models.DeploiementEdit
	for _, e := range in {
		edits = append(edits, models.DeploiementEdit{UAI: e.UAI, Phase: "ouvert"})
	}
	if _, err := s.ChangeDeploiements(ctx, pilote, edits, models.DeploiementGuard{}); err != nil {
		t.Fatal(err)
	}
}

func ptrTo[T any](v T) *T { return &v }

// newTrainingWorld builds the example on 01/10/2026.
func newTrainingWorld(t *testing.T, s *models.Store, who map[string]models.Actor) trainingWorld {
	t.Helper()
	ctx, pilote := t.Context(), who["pilote"]
	openEcoles(t, s, pilote)
	plan, err := s.CreatePlanFormation(ctx, pilote, models.PlanFormationInput{AnneeScolaire: "2026-2027", Departement: "94"})
	if err != nil {
		t.Fatal(err)
	}
	session := func(module int64, public, date string) models.FormationRow {
		f, err := s.CreateFormation(ctx, pilote, models.FormationInput{PlanID: plan.ID, ModuleID: module, Public: public,
			Circonscription: "0940920P", Lieu: "École Pasteur", Date: date, HeureDebut: "14h30", DureeMinutes: "180",
			Capacite: "20", Statut: "ouverte"})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	w := trainingWorld{held: session(1, "enseignants", "20/09/2026"), directeurs: session(3, "directeurs", "25/09/2026"),
		coming: session(1, "enseignants", "20/11/2026")}
	register := func(f models.FormationRow, in models.InscriptionInput) int64 {
		r, err := s.Register(ctx, pilote, f.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	p := func(uai string) models.InscriptionInput {
		return models.InscriptionInput{Kind: "participant", Nom: "Enseignant " + uai, UAI: uai}
	}
	// Session held: 0940354Z one present one absent, 0940400Z one present and 2 of its 3.
	marks := map[int64]models.Attendance{
		register(w.held, p("0940354Z")): {Presence: "present"},
		register(w.held, p("0940354Z")): {Presence: "absent"},
		register(w.held, p("0940400Z")): {Presence: "present"},
		register(w.held, models.InscriptionInput{Kind: "ecole", UAI: "0940400Z", Effectif: "3"}): {Presence: "present", Presents: "2"},
	}
	if err := s.SetAttendance(ctx, pilote, w.held.ID, marks, true); err != nil {
		t.Fatal(err)
	}
	// Directors' session: 0940354Z one present. The session to come counts nothing.
	marks = map[int64]models.Attendance{register(w.directeurs, p("0940354Z")): {Presence: "present"}}
	if err := s.SetAttendance(ctx, pilote, w.directeurs.ID, marks, true); err != nil {
		t.Fatal(err)
	}
	register(w.coming, p("0940410K"))
	return w
}

func near(a *float64, b float64) bool { return a != nil && math.Abs(*a-b) < 1e-9 }

// TestFormationCoverageHandComputed: the estimate is classes + 1 (5 and 10 and 8), the
// trained 2 (0940354Z) and 3 (0940400Z) and 0 (0940410K, listed first); 6 answers give
// their means and shares, 4 answers none.
func TestFormationCoverageHandComputed(t *testing.T) {
	clock := &clockAt{t: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx := t.Context()
		w := newTrainingWorld(t, s, who)
		f := models.CoverageFilter{Circonscription: "0940920P"}
		cov, err := s.CoverageFormation(ctx, who["ien"].Scope, f, "circonscription")
		if err != nil {
			t.Fatal(err)
		}
		want := models.FormationCoverageRow{Code: "0940920P", Ecoles: 3, Estimation: 23, Formes: 5, SansFormation: 1}
		if len(cov.Rows) != 1 || cov.Rows[0].Label == "" {
			t.Fatalf("lignes : %+v", cov.Rows)
		}
		if got := cov.Rows[0]; got.Code != want.Code || got.Ecoles != 3 || got.Estimation != 23 || got.Formes != 5 || got.SansFormation != 1 {
			t.Errorf("couverture : %+v, attendu %+v", got, want)
		}
		if r := cov.Total.Rate(); math.Abs(r-5.0/23) > 1e-9 {
			t.Errorf("taux : %v", r)
		}
		ecoles, err := s.CoverageEcoles(ctx, who["ien"].Scope, f, 0)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, e := range ecoles {
			order = append(order, e.UAI)
		}
		if len(ecoles) != 3 || order[0] != "0940410K" || order[1] != "0940400Z" || order[2] != "0940354Z" ||
			ecoles[1].Estimation != 10 || ecoles[1].Formes != 3 || ecoles[2].Estimation != 5 || ecoles[2].Formes != 2 {
			t.Errorf("écoles : %+v", ecoles)
		}
		if cov, err := s.CoverageFormation(ctx, who["ia93"].Scope, f, "commune"); err != nil || len(cov.Rows) != 0 {
			t.Errorf("IA 93 : %+v, %v", cov.Rows, err)
		}
		checkEvaluations(t, s, who, w)
		checkCoverageKept(t, s, who["pilote"], f)
	})
}

// checkCoverageKept changes what the kept coverage depends on (attendance, a deployment's
// phase, an école's classes) and checks it against the coverage recomputed from scratch.
func checkCoverageKept(t *testing.T, s *models.Store, pilote models.Actor, f models.CoverageFilter) {
	t.Helper()
	ctx := t.Context()
	keptFiguresAgree(t, s, "la présence aux sessions")
	if _, err := s.ChangeDeploiements(ctx, pilote, []models.DeploiementEdit{{UAI: "0940400Z", Phase: "abandonne"}},
		models.DeploiementGuard{}); err != nil {
		t.Fatal(err)
	}
	keptFiguresAgree(t, s, "l'abandon d'une école")
	in := models.EcoleInput{UAI: "0940354Z", Nom: "ECOLE ELEMENTAIRE PUBLIQUE PASTEUR", Type: "elementaire", Statut: "public",
		CodeINSEE: "94076", CodeCirconscription: "0940920P", NomCirconscription: "Circonscription d'inspection du 1er degré de Villejuif",
		NbClasses: ptrTo(11)}
	if _, err := s.ImportEcoles(ctx, []models.EcoleInput{in}, models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	keptFiguresAgree(t, s, "l'import des écoles")
	cov, err := s.CoverageFormation(ctx, pilote.Scope, f, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(cov.Rows) != 1 || cov.Total.Ecoles != 2 || cov.Total.Estimation != 12+8 || cov.Total.Formes != 2 || cov.Total.SansFormation != 1 {
		t.Errorf("couverture après les changements : %+v", cov)
	}
}

// checkEvaluations records 6 answers on the session held and 4 on the directors' one.
func checkEvaluations(t *testing.T, s *models.Store, who map[string]models.Actor, w trainingWorld) {
	t.Helper()
	ctx, ien := t.Context(), who["ien"]
	answers := []models.EvaluationInput{{"5", "4", "oui", "Très utile"}, {"4", "4", "oui", ""}, {"4", "3", "peut_etre", ""},
		{"3", "5", "non", ""}, {"5", "5", "oui", ""}, {"2", "3", "peut_etre", ""}}
	for _, a := range answers {
		if _, err := s.AddEvaluation(ctx, ien, w.held.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range answers[:4] {
		if _, err := s.AddEvaluation(ctx, ien, w.directeurs.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddEvaluation(ctx, ien, w.coming.ID, answers[0]); fieldsOf(t, err)["formation"] == "" {
		t.Errorf("session à venir : %v", err)
	}
	if f := fieldsOf(t, mustFail(s.AddEvaluation(ctx, ien, w.held.ID, models.EvaluationInput{Satisfaction: "7", UsageClasse: "x"}))); f["satisfaction"] == "" || f["utilite"] == "" || f["usage_classe"] == "" {
		t.Errorf("erreurs : %v", f)
	}
	if _, err := s.AddEvaluation(ctx, who["amif"], w.held.ID, answers[0]); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("AMIF : %v", err)
	}
	if _, err := s.AddEvaluation(ctx, who["ia93"], w.held.ID, answers[0]); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 : %v", err)
	}
	sum, err := s.EvaluationSummary(ctx, who["lecteur"].Scope, models.EvaluationFilter{Annee: "2026-2027", Departement: "94"}, "module")
	if err != nil || len(sum.Rows) != 2 {
		t.Fatalf("synthèse : %+v, %v", sum, err)
	}
	first, second := sum.Rows[0], sum.Rows[1]
	if first.Reponses != 6 || !near(first.MeanSatisfaction(), 23.0/6) || !near(first.MeanUtilite(), 4) ||
		!near(first.ShareOui(), 0.5) || !near(first.ShareNon(), 1.0/6) || !near(first.SharePeutEtre(), 2.0/6) {
		t.Errorf("module 1 : %+v", first)
	}
	if second.Reponses != 4 || second.MeanSatisfaction() != nil || second.ShareOui() != nil {
		t.Errorf("4 réponses : moyenne montrée %+v", second)
	}
	if sum.Total.Reponses != 10 || !near(sum.Total.MeanSatisfaction(), 39.0/10) {
		t.Errorf("total : %+v", sum.Total)
	}
	res, err := s.ListEvaluations(ctx, who["lecteur"], w.held.ID)
	if err != nil || res.Answers != nil || res.Summary.Reponses != 6 || res.CanAdd {
		t.Errorf("lecteur : %+v, %v", res, err)
	}
	if res, err = s.ListEvaluations(ctx, ien, w.held.ID); err != nil || len(res.Answers) != 6 || !res.CanAdd {
		t.Errorf("IEN : %+v, %v", res, err)
	}
}

// mustFail is the error of a call.
func mustFail[T any](_ T, err error) error { return err }
