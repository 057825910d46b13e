package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The actions of a market's page: change its status, add a lot, record a bid, award a lot
// (after a preview of the écoles whose deployment takes the solution), record a commune's
// adhesion. Each is guarded by the market's version.

// msgMarcheStale is the answer to a form typed on a page that changed since.
const msgMarcheStale = "Le marché a été modifié entre-temps : rien n'a été enregistré. Vérifiez la page à jour et recommencez."

// marcheAnswer answers the outcome err of the form named form (typed, its values): the page
// again with the errors (422), a refusal (403), a stale version (409), or the page with its
// confirmation.
func (s *Server) marcheAnswer(c echo.Context, err error, form string, typed map[string]string, done string) error {
	if errors.Is(err, models.ErrConflict) {
		return s.marchePage(c, http.StatusConflict, form, map[string]string{"version": msgMarcheStale}, typed)
	}
	id := c.Param("id")
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.marchePage(c, status, form, errs, typed)
	}, Refused: "refus", Redirect: "/marches/" + id + "?fait=" + done + "#" + done}.saved(c, err)
}

func marcheID(c echo.Context) int64 {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	return id
}

// formValues are the posted values of the named fields.
func formValues(c echo.Context, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = c.FormValue(n)
	}
	return out
}

func (s *Server) changeMarcheStatut(c echo.Context) error {
	v := formValues(c, "statut", "date", "version")
	_, err := s.store.ChangeMarcheStatut(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]),
		models.StatutMarcheInput{Statut: v["statut"], Date: v["date"]})
	return s.marcheAnswer(c, err, "statut", v, "statut")
}

func (s *Server) addMarcheLot(c echo.Context) error {
	v := formValues(c, "numero", "intitule", "montant_estime", "version")
	_, err := s.store.AddLot(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]),
		models.LotInput{Numero: v["numero"], Intitule: v["intitule"], MontantEstime: v["montant_estime"]})
	return s.marcheAnswer(c, err, "lot", v, "lot")
}

func (s *Server) addMarcheOffre(c echo.Context) error {
	v := formValues(c, "lot", "soumissionnaire_id", "soumissionnaire", "solution", "montant", "date_reception", "version")
	in := models.OffreInput{Soumissionnaire: v["soumissionnaire"], Montant: v["montant"], DateReception: v["date_reception"]}
	in.LotID, _ = strconv.ParseInt(v["lot"], 10, 64)
	in.SoumissionnaireID, _ = strconv.ParseInt(v["soumissionnaire_id"], 10, 64)
	in.SolutionID, _ = strconv.ParseInt(v["solution"], 10, 64)
	_, err := s.store.AddOffre(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]), in)
	return s.marcheAnswer(c, err, "offre", v, "offre")
}

func (s *Server) recordMarcheAdhesion(c echo.Context) error {
	v := formValues(c, "commune", "date", "ref", "version")
	_, err := s.store.RecordAdhesion(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]),
		models.AdhesionInput{Commune: v["commune"], Date: v["date"], Ref: v["ref"]})
	return s.marcheAnswer(c, err, "adhesion-"+v["commune"], v, "adhesion")
}

// attributionFields are the fields of the award form.
var attributionFields = []string{"lot", "titulaire", "solution", "montant", "duree_mois", "date_debut", "reconductions", "version"}

// attributionView is the preview of an award: the écoles whose deployment takes the
// solution, and the form that confirms it, guarded by the time the preview was read.
type attributionView struct {
	Marche   models.MarcheRow
	Values   map[string]string
	Fields   []string
	LuLe     string
	Preview  models.DeploiementPreview
	Lot      string
	Solution string
}

// attribuerMarcheLot previews the award (no "confirmer" field) or applies it, guarded by
// the time of the preview: an école changed in between refuses the whole award.
func (s *Server) attribuerMarcheLot(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := formValues(c, attributionFields...)
	in := models.AttributionInput{Montant: v["montant"], DureeMois: v["duree_mois"], DateDebut: v["date_debut"], Reconductions: v["reconductions"]}
	in.LotID, _ = strconv.ParseInt(v["lot"], 10, 64)
	in.TitulaireID, _ = strconv.ParseInt(v["titulaire"], 10, 64)
	in.SolutionID, _ = strconv.ParseInt(v["solution"], 10, 64)
	if c.FormValue("confirmer") == "" {
		if in.SolutionID == 0 || in.LotID == 0 {
			return s.marchePage(c, http.StatusUnprocessableEntity, "attribution",
				map[string]string{"solution": "Choisissez la solution ENT attribuée.", "lot": "Choisissez le lot dans la liste."}, v)
		}
		_, m, err := pathRecord(s, c, s.store.GetMarche)
		if err != nil {
			return err
		}
		readAt := time.Now().UTC()
		p, err := s.store.PreviewAttribution(ctx, actor, m.ID, in.LotID, in.SolutionID)
		if err != nil {
			return err
		}
		view := attributionView{Marche: m, Values: v, Fields: attributionFields, LuLe: readAt.Format(time.RFC3339Nano), Preview: p}
		for _, l := range m.Lots {
			if l.ID == in.LotID {
				view.Lot = "Lot " + strconv.Itoa(l.Numero) + " : " + l.Intitule
			}
		}
		href := marcheHref(m.ID)
		return s.render(c, http.StatusOK, "marches/attribution", "Attribution : aperçu", []crumb{home, marchesCrumb, {Label: m.Objet, Href: href}, {Label: "Attribution"}}, view)
	}
	readAt, _ := time.Parse(time.RFC3339Nano, c.FormValue("lu_le"))
	_, _, err := s.store.AttribuerLot(ctx, actor, marcheID(c), formVersion(v["version"]), in, models.DeploiementGuard{ReadAt: readAt})
	return s.marcheAnswer(c, err, "attribution", v, "attribution")
}

// addMarcheDocument attaches a document (DCE, CCTP, rapport d'analyse, notification) to
// the market.
func (s *Server) addMarcheDocument(c echo.Context) error {
	return s.addDocument(c, models.DocumentMarche)
}
