package models

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The weighted score of a candidature and its ranks are derived from its scores on every
// read, never stored: score = Σ(note × poids) / Σ(poids) over the criteria scored, out of 5;
// a candidature with criteria not yet scored is "incomplète". The ranks are those of the
// campaign's live candidatures with at least one score, not withdrawn, by département and
// for the académie; equal scores share their rank (1, 1, 3).

// Score is the weighted score of a candidature, as integers: Points = Σ(note × poids) and
// Poids = Σ(poids) over the NbNotes criteria scored, out of NbCriteres.
type Score struct {
	Points     int64
	Poids      int64
	NbNotes    int
	NbCriteres int
}

// Scored reports whether at least one criterion is scored.
func (s Score) Scored() bool { return s.Poids > 0 }

// Complete reports whether every criterion of the campaign is scored.
func (s Score) Complete() bool { return s.NbCriteres > 0 && s.NbNotes >= s.NbCriteres }

// Value is the weighted score out of 5 (0 when nothing is scored).
func (s Score) Value() float64 {
	if s.Poids == 0 {
		return 0
	}
	return float64(s.Points) / float64(s.Poids)
}

// Label is the score out of 5 with one decimal, "3,4 / 5"; "—" when nothing is scored.
func (s Score) Label() string {
	if !s.Scored() {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(s.Value(), 'f', 1, 64), ".", ",", 1) + " / 5"
}

// Status is "incomplète (4 critères sur 6)" or "" when complete or not scored at all.
func (s Score) Status() string {
	if !s.Scored() || s.Complete() {
		return ""
	}
	return "incomplète (" + strconv.Itoa(s.NbNotes) + " critère" + plural(s.NbNotes) + " sur " + strconv.Itoa(s.NbCriteres) + ")"
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// compareScores orders two scores, the higher first, exactly (cross products of integers).
func compareScores(a, b Score) int {
	return cmp.Compare(b.Points*a.Poids, a.Points*b.Poids)
}

// Rangs are the ranks of a candidature in its campaign: in its département and in the
// académie (0: not ranked), and how many are ranked in each.
type Rangs struct {
	Departement, Academie     int
	SurDepartement, SurAcadem int
}

// Label is "2 / 5" or "—".
func rankLabel(rank, of int) string {
	if rank == 0 {
		return "—"
	}
	return strconv.Itoa(rank) + " / " + strconv.Itoa(of)
}

// DepartementLabel is the rank in the département, "2 / 5".
func (r Rangs) DepartementLabel() string { return rankLabel(r.Departement, r.SurDepartement) }

// AcademieLabel is the rank in the académie, "4 / 12".
func (r Rangs) AcademieLabel() string { return rankLabel(r.Academie, r.SurAcadem) }

// scoredCandidature is a candidature of a campaign with its score, for the ranks.
type scoredCandidature struct {
	ID, CampagneID  int64
	DepartementCode string
	Decision        string
	Score           Score
}

// campaignScores reads the scores of every live candidature of the campaigns, in two
// GROUP BY queries.
func campaignScores(tx *gorm.DB, campagnes []int64) ([]scoredCandidature, error) {
	var rows []struct {
		ID, CampagneID  int64
		DepartementCode string
		Decision        string
		Points, Poids   int64
		NbNotes         int
	}
	if err := tx.Raw(`SELECT ca.id, ca.campagne_id, ca.departement_code, ca.decision,
		COALESCE(SUM(n.note * cc.poids), 0) AS points, COALESCE(SUM(cc.poids), 0) AS poids, COUNT(cc.id) AS nb_notes
		FROM candidatures ca LEFT JOIN candidature_notes n ON n.candidature_id = ca.id
		LEFT JOIN campagne_criteres cc ON cc.id = n.critere_id
		WHERE ca.campagne_id IN ? AND ca.archived_at IS NULL
		GROUP BY ca.id, ca.campagne_id, ca.departement_code, ca.decision`, campagnes).Scan(&rows).Error; err != nil {
		return nil, err
	}
	var counts []struct {
		CampagneID int64
		N          int
	}
	if err := tx.Table("campagne_criteres").Select("campagne_id, COUNT(*) AS n").Where("campagne_id IN ?", campagnes).
		Group("campagne_id").Scan(&counts).Error; err != nil {
		return nil, err
	}
	nb := map[int64]int{}
	for _, c := range counts {
		nb[c.CampagneID] = c.N
	}
	out := make([]scoredCandidature, len(rows))
	for i, r := range rows {
		out[i] = scoredCandidature{r.ID, r.CampagneID, r.DepartementCode, r.Decision,
			Score{Points: r.Points, Poids: r.Poids, NbNotes: r.NbNotes, NbCriteres: nb[r.CampagneID]}}
	}
	return out, nil
}

// rank gives each ranked candidature of all (one campaign) its ranks by département and in
// the académie.
func rank(all []scoredCandidature) map[int64]Rangs {
	out := map[int64]Rangs{}
	var ranked []scoredCandidature
	for _, c := range all {
		if c.Score.Scored() && c.Decision != "retiree" {
			ranked = append(ranked, c)
		}
	}
	slices.SortStableFunc(ranked, func(a, b scoredCandidature) int {
		return cmp.Or(compareScores(a.Score, b.Score), cmp.Compare(a.ID, b.ID))
	})
	byDep := map[string][]scoredCandidature{}
	for _, c := range ranked {
		byDep[c.DepartementCode] = append(byDep[c.DepartementCode], c)
	}
	place := func(list []scoredCandidature, get func(Rangs) int, set func(r *Rangs, rank, of int)) {
		for i, c := range list {
			n := i + 1
			if i > 0 && compareScores(list[i-1].Score, c.Score) == 0 {
				n = get(out[list[i-1].ID])
			}
			r := out[c.ID]
			set(&r, n, len(list))
			out[c.ID] = r
		}
	}
	place(ranked, func(r Rangs) int { return r.Academie }, func(r *Rangs, n, of int) { r.Academie, r.SurAcadem = n, of })
	for _, list := range byDep {
		place(list, func(r Rangs) int { return r.Departement }, func(r *Rangs, n, of int) { r.Departement, r.SurDepartement = n, of })
	}
	return out
}

// withScores sets the score and ranks of the rows.
func withScores(tx *gorm.DB, rows []CandidatureRow) error {
	var campagnes []int64
	for _, r := range rows {
		campagnes = append(campagnes, r.CampagneID)
	}
	slices.Sort(campagnes)
	campagnes = slices.Compact(campagnes)
	all, err := campaignScores(tx, campagnes)
	if err != nil {
		return err
	}
	byCampagne := map[int64][]scoredCandidature{}
	scores := map[int64]Score{}
	for _, c := range all {
		byCampagne[c.CampagneID] = append(byCampagne[c.CampagneID], c)
		scores[c.ID] = c.Score
	}
	ranks := map[int64]Rangs{}
	for _, list := range byCampagne {
		for id, r := range rank(list) {
			ranks[id] = r
		}
	}
	for i := range rows {
		rows[i].Score, rows[i].Rangs = scores[rows[i].ID], ranks[rows[i].ID]
	}
	return nil
}

// CandidatureNote is the score of one criterion of a candidature, with the criterion.
type CandidatureNote struct {
	CritereID   int64
	Libelle     string
	Poids       int
	Note        *int
	Commentaire string
	NotedBy     string
}

// NoteLabel is "3 / 5", "—" when not scored.
func (n CandidatureNote) NoteLabel() string {
	if n.Note == nil {
		return "—"
	}
	return strconv.Itoa(*n.Note) + " / 5"
}

// CandidatureNotes returns the criteria of the candidature's campaign, in order, each with
// its score if any (ErrNotFound outside the scope).
func (s *Store) CandidatureNotes(ctx context.Context, scope Scope, id int64) ([]CandidatureNote, error) {
	db := s.db.WithContext(ctx)
	c, err := getCandidature(db, scope, id)
	if err != nil {
		return nil, err
	}
	return candidatureNotes(db, c)
}

func candidatureNotes(tx *gorm.DB, c CandidatureRow) ([]CandidatureNote, error) {
	var out []CandidatureNote
	err := tx.Table("campagne_criteres AS cc").
		Joins("LEFT JOIN candidature_notes n ON n.critere_id = cc.id AND n.candidature_id = ?", c.ID).
		Select("cc.id AS critere_id, cc.libelle, cc.poids, n.note, COALESCE(n.commentaire, '') AS commentaire, COALESCE(n.noted_by, '') AS noted_by").
		Where("cc.campagne_id = ?", c.CampagneID).Order("cc.ordre, cc.id").Scan(&out).Error
	return out, err
}
