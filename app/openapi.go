package app

import (
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// The OpenAPI 3.1 description of the JSON API, built from the table of api_doc.go: the
// schemas of the items from their Go types (json tags), the filters from the query structs
// (query tags; a validate "oneof" becomes an enum), the field descriptions from
// openapi_fields.go.

// openAPI serves the description.
func (s *Server) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, openAPIDocument())
}

// showAPIDoc is the page that explains how to call the API.
func (s *Server) showAPIDoc(c echo.Context) error {
	type line struct{ Path, Summary, Description string }
	var v []line
	for _, d := range apiDocs() {
		v = append(v, line{d.path, d.summary, d.description})
	}
	return s.render(c, http.StatusOK, "api/show", "L'API JSON", []crumb{home, {Label: "API", Href: "/api"}}, v)
}

type obj = map[string]any

// openAPIDocument is the whole description.
func openAPIDocument() obj {
	paths, schemas := obj{}, obj{"Erreur": errorSchema()}
	for _, d := range apiDocs() {
		name := schemaName(d.path)
		schemas[name] = typeSchema(d.itemType())
		envelope := listEnvelope(name)
		if d.envelope != nil {
			envelope = typeSchema(reflect.TypeOf(d.envelope))
			envelope["properties"].(obj)["items"] = obj{"type": "array", "items": obj{"$ref": "#/components/schemas/" + name}}
			envelope["properties"].(obj)["ensemble"] = obj{"oneOf": []any{obj{"$ref": "#/components/schemas/" + name}, obj{"type": "null"}},
				"description": "Le total de toutes les lignes, absent (null) sans aucun mois connu"}
		}
		op := obj{"operationId": "lister" + name, "summary": d.summary, "tags": []string{tagOf(d.path)},
			"parameters": d.parameters(),
			"responses": obj{
				"200": obj{"description": "La page demandée", "content": obj{"application/json": obj{"schema": envelope}}},
				"400": errorResponse("Paramètre invalide : le message d'erreur et, dans fields, chaque paramètre fautif"),
				"401": errorResponse("Jeton absent, inconnu, révoqué ou expiré"),
				"503": errorResponse("Base de données momentanément indisponible"),
			}}
		if d.description != "" {
			op["description"] = d.description
		}
		paths[d.path] = obj{"get": op}
	}
	paths["/api/v1/openapi.json"] = obj{"get": obj{"operationId": "description", "summary": "Cette description (OpenAPI 3.1)",
		"tags": []string{"description"}, "security": []any{},
		"responses": obj{"200": obj{"description": "La description de l'API", "content": obj{"application/json": obj{"schema": obj{"type": "object"}}}}}}}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "Pilotage ENT 1D : API JSON", "version": "1",
			"description": apiDescription, "license": obj{"name": "Licence Ouverte 2.0", "identifier": "etalab-2.0"}},
		"servers":    []any{obj{"url": "/", "description": "Ce serveur"}},
		"security":   []any{obj{"jeton": []string{}}},
		"paths":      paths,
		"components": obj{"schemas": schemas, "securitySchemes": obj{"jeton": obj{"type": "http", "scheme": "bearer", "description": bearerDescription}}},
	}
}

const apiDescription = "API en lecture seule du programme ENT du premier degré. Chaque réponse ne contient que les " +
	"enregistrements du périmètre du compte (académie, département, circonscription ou communes), comme les pages.\n\n" +
	"Pagination : les listes répondent {total, page, per_page, items} ; page (à partir de 1) et per_page " +
	"(50 par défaut, 500 au plus) choisissent la page ; sort choisit le tri (une clé de tri de la liste, préfixée de - pour l'ordre décroissant). " +
	"Erreurs : un objet {error, request_id} (et fields pour un paramètre invalide), avec le statut HTTP."

const bearerDescription = "Jeton personnel créé sur la page « Mon compte » (section « Jetons d'API »), envoyé dans l'en-tête " +
	"Authorization: Bearer JETON. Le jeton donne les droits de lecture de son titulaire, sur l'API seulement ; il ne modifie jamais rien."

// schemaName is the components' name of a route's items: /api/v1/plans-formation → PlansFormation.
func schemaName(path string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.TrimPrefix(path, "/api/v1/"), "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// tagOf groups the routes as the menu does.
func tagOf(path string) string {
	switch strings.TrimPrefix(path, "/api/v1/") {
	case "departements", "communes", "ecoles", "epci":
		return "territoire"
	case "organisations", "contacts", "instances", "reunions", "decisions", "actions", "chartes", "adoptions":
		return "gouvernance"
	case "conventions", "financements", "marches", "solutions":
		return "conventions et financements"
	case "formations", "plans-formation", "inscriptions":
		return "formation"
	}
	return "déploiement"
}

func errorSchema() obj {
	return obj{"type": "object", "required": []string{"error", "request_id"}, "properties": obj{
		"error":      obj{"type": "string", "description": "Le message d'erreur, en français"},
		"request_id": obj{"type": "string", "description": "L'identifiant de la requête, à citer en signalant le problème"},
		"fields": obj{"type": "object", "additionalProperties": obj{"type": "string"},
			"description": "Pour un paramètre invalide : le message de chaque paramètre fautif"},
	}}
}

func errorResponse(desc string) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": obj{"$ref": "#/components/schemas/Erreur"}}}}
}

// listEnvelope is the answer of a paged list of items of schema name.
func listEnvelope(name string) obj {
	return obj{"type": "object", "required": []string{"total", "page", "per_page", "items"}, "properties": obj{
		"total":    obj{"type": "integer", "description": "Nombre total d'éléments, toutes pages confondues"},
		"page":     obj{"type": "integer", "description": "Numéro de la page"},
		"per_page": obj{"type": "integer", "description": "Taille de la page"},
		"items":    obj{"type": "array", "items": obj{"$ref": "#/components/schemas/" + name}},
	}}
}

// parameters are the query parameters of a route: its query struct's, then those read by hand.
func (d apiDoc) parameters() []any {
	out := []any{}
	if d.query != nil {
		for _, p := range queryParams(reflect.TypeOf(d.query)) {
			out = append(out, p)
		}
	}
	for _, p := range d.params {
		out = append(out, obj{"name": p.name, "in": "query", "required": false, "description": p.description, "schema": obj{"type": "string"}})
	}
	return out
}

// hiddenParams are the parameters the pages use and the API does not: its answers carry no
// cursor (the API pages by number).
var hiddenParams = map[string]bool{afterParam: true, beforeParam: true}

// queryParams lists the query tags of t and of its embedded structs.
func queryParams(t reflect.Type) []obj {
	var out []obj
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("query")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, queryParams(f.Type)...)
			continue
		}
		if name == "" || name == "-" || hiddenParams[name] {
			continue
		}
		schema := obj{"type": "string"}
		if f.Type.Kind() == reflect.Slice {
			schema = obj{"type": "array", "items": obj{"type": "string"}}
		}
		if enum := oneOf(f.Tag.Get("validate")); enum != nil {
			schema["enum"] = enum
		}
		out = append(out, obj{"name": name, "in": "query", "required": false, "description": paramDescription(name), "schema": schema})
	}
	return out
}

// oneOf reads the values of a validate tag's oneof rule.
func oneOf(tag string) []string {
	for _, rule := range strings.Split(tag, ",") {
		if v, ok := strings.CutPrefix(rule, "oneof="); ok {
			return strings.Fields(v)
		}
	}
	return nil
}

var timeType = reflect.TypeOf(time.Time{})

// typeSchema is the JSON Schema of a value of type t as encoding/json writes it.
func typeSchema(t reflect.Type) obj {
	switch {
	case t == timeType:
		return obj{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		s := typeSchema(t.Elem())
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
		}
		return s
	}
	switch t.Kind() {
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return obj{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return obj{"type": "number"}
	case reflect.Slice, reflect.Array:
		// A nil slice is written null.
		return obj{"type": []string{"array", "null"}, "items": typeSchema(t.Elem())}
	case reflect.Map:
		return obj{"type": "object", "additionalProperties": typeSchema(t.Elem())}
	case reflect.Struct:
		return structSchema(t)
	}
	return obj{}
}

// structSchema is the schema of a struct: its json fields (embedded structs' fields inline),
// required unless omitempty.
func structSchema(t reflect.Type) obj {
	props, required := obj{}, []string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			s := typeSchema(f.Type)
			s["description"] = fieldDescription(name)
			props[name] = s
			if !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	return obj{"type": "object", "required": required, "properties": props}
}
