package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestAPIToken: the API answers a personal token, refuses a missing, unknown or revoked one
// with 401, and answers a session too.
func TestAPIToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		h := newAnonymousServer(t, s, app.Config{})
		u, err := s.CreateUser(ctx, models.SystemActor("test"), models.UserInput{Email: "ia93@ac-creteil.fr", Nom: "IA 93",
			Role: models.RoleIA, Departement: "93"})
		if err != nil {
			t.Fatal(err)
		}
		token, err := s.CreateAPIToken(ctx, models.SystemActor("test"), u.ID, "tableau de bord")
		if err != nil {
			t.Fatal(err)
		}
		if rec := get(t, h, "/api/v1/communes?departement=93"); rec.Code != http.StatusUnauthorized {
			t.Errorf("sans jeton : %d", rec.Code)
		}
		if rec := get(t, h, "/api/v1/communes", "Authorization: Bearer pe1_inconnu"); rec.Code != http.StatusUnauthorized {
			t.Errorf("jeton inconnu : %d", rec.Code)
		}
		if rec := get(t, h, "/api/v1/communes?departement=93", "Authorization: Bearer "+token); rec.Code != http.StatusOK {
			t.Errorf("jeton valide : %d", rec.Code)
		}
		// A token opens the API only: on a page or an export it is anonymous.
		for _, page := range []string{"/communes", "/communes.xlsx", "/mon-compte", "/admin/journal"} {
			if rec := get(t, h, page, "Authorization: Bearer "+token); rec.Code != http.StatusSeeOther ||
				!strings.HasPrefix(rec.Header().Get("Location"), "/connexion") {
				t.Errorf("jeton valide sur %s : %d %s, attendu 303 vers /connexion", page, rec.Code, rec.Header().Get("Location"))
			}
		}
		// A token only reads: a write with it is anonymous (401), and creates nothing.
		req := httptest.NewRequest(http.MethodPost, "/mon-compte/jetons", strings.NewReader("nom=vol"))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("écriture avec un jeton : %d", rec.Code)
		}
		tokens, err := s.ListAPITokens(ctx, u.ID)
		if err != nil || len(tokens) != 1 {
			t.Fatalf("jetons : %v %d", err, len(tokens))
		}
		actor := models.ActorFor(u, models.Scope{}, "")
		if err := s.RevokeAPIToken(ctx, actor, tokens[0].ID); err != nil {
			t.Fatal(err)
		}
		if rec := get(t, h, "/api/v1/communes", "Authorization: Bearer "+token); rec.Code != http.StatusUnauthorized {
			t.Errorf("jeton révoqué : %d", rec.Code)
		}
		cookie := signIn(t, s, models.UserInput{Email: "ia93@ac-creteil.fr"})
		if rec := get(t, h, "/api/v1/epci", "Cookie: "+cookie); rec.Code != http.StatusOK {
			t.Errorf("session : %d", rec.Code)
		}
	})
}
