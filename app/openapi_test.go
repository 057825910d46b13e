package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// TestOpenAPI keeps the description of the API true, on the demo database:
//   - it is valid OpenAPI 3.1 (kin-openapi), served without a token;
//   - every /api/v1 route of the router is documented, and every documented path is routed;
//   - every documented list, called with a pilote's token, answers 200 with items whose
//     fields are exactly the documented ones (no documented field missing when required, no
//     field undocumented), and the whole answer validates against its documented schema.
func TestOpenAPI(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, store *models.Store) {
		s := matrixServer(t, store, Config{})
		h := s.Handler()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("openapi.json sans jeton : %d", rec.Code)
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(rec.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !doc.IsOpenAPI31OrLater() {
			t.Errorf("version %q, attendu 3.1", doc.OpenAPI)
		}
		if err := doc.Validate(context.Background()); err != nil {
			t.Fatalf("description invalide : %v", err)
		}
		checkOpenAPIRoutes(t, s, doc)
		token := openAPIToken(t, store)
		withItems := 0
		for _, path := range doc.Paths.InMatchingOrder() {
			if path == "/api/v1/openapi.json" {
				continue
			}
			if checkOpenAPIAnswer(t, h, doc, path, token) {
				withItems++
			}
		}
		if withItems < 20 {
			t.Errorf("seules %d listes ont des éléments sur la base de démonstration : la comparaison ne prouve rien", withItems)
		}
	})
}

// checkOpenAPIRoutes compares the documented paths with the router's /api/v1 routes.
func checkOpenAPIRoutes(t *testing.T, s *Server, doc *openapi3.T) {
	t.Helper()
	var routed []string
	for _, r := range s.Echo().Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") && r.Method != echo.RouteNotFound {
			routed = append(routed, r.Method+" "+r.Path)
			if item := doc.Paths.Value(r.Path); item == nil || item.GetOperation(r.Method) == nil {
				t.Errorf("route non documentée : %s %s", r.Method, r.Path)
			}
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !slices.Contains(routed, method+" "+path) {
				t.Errorf("route documentée mais absente du routeur : %s %s", method, path)
			}
		}
	}
}

// openAPIToken is a pilote's API token: the pilote reads the whole académie, personal fields
// included.
func openAPIToken(t *testing.T, store *models.Store) string {
	t.Helper()
	ctx, sys := context.Background(), models.SystemActor("test")
	u, err := store.CreateUser(ctx, sys, models.UserInput{Email: "api.pilote@ac-creteil.fr", Nom: "Pilote API", Role: models.RolePilote})
	if err != nil {
		t.Fatal(err)
	}
	token, err := store.CreateAPIToken(ctx, sys, u.ID, "openapi")
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// checkOpenAPIAnswer calls a documented list and compares its answer with its schema; it
// reports whether the answer had items.
func checkOpenAPIAnswer(t *testing.T, h http.Handler, doc *openapi3.T, path, token string) bool {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path+"?per_page=50", nil)
	req.Header.Set(echo.HeaderAuthorization, "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("%s : %d %s", path, rec.Code, rec.Body.String())
		return false
	}
	schema := doc.Paths.Value(path).Get.Responses.Status(http.StatusOK).Value.Content.Get("application/json").Schema.Value
	var answer any
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
		t.Fatal(err)
	}
	if err := schema.VisitJSON(answer, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("%s : la réponse ne suit pas son schéma : %v", path, err)
	}
	item := schema.Properties["items"].Value.Items.Value
	items, _ := answer.(map[string]any)["items"].([]any)
	for i, it := range items {
		fields := it.(map[string]any)
		for name := range fields {
			if _, ok := item.Properties[name]; !ok {
				t.Errorf("%s, élément %d : champ %q absent de la description", path, i, name)
			}
		}
		for _, name := range item.Required {
			if _, ok := fields[name]; !ok {
				t.Errorf("%s, élément %d : champ documenté %q absent de la réponse", path, i, name)
			}
		}
	}
	return len(items) > 0
}
