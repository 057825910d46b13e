package exports

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// The descriptor (datapackage.json, Frictionless Data Package v1, profile
// "tabular-data-package") and the README of the restitution.

// Licence Ouverte 2.0, the State's open licence (Etalab), as the descriptor names it.
const (
	LicenceName  = "etalab-2.0"
	LicenceTitle = "Licence Ouverte / Open Licence version 2.0"
	LicenceURL   = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
)

type dataPackage struct {
	Profile     string         `json:"profile"`
	Name        string         `json:"name"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Version     string         `json:"version"`
	Created     string         `json:"created"`
	Keywords    []string       `json:"keywords"`
	Licenses    []dpLicence    `json:"licenses"`
	Resources   []dataResource `json:"resources"`
}

type dpLicence struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

type dataResource struct {
	Profile     string      `json:"profile"`
	Name        string      `json:"name"`
	Path        string      `json:"path"`
	Title       string      `json:"title"`
	Description string      `json:"description,omitempty"`
	Format      string      `json:"format"`
	Mediatype   string      `json:"mediatype"`
	Encoding    string      `json:"encoding"`
	Dialect     csvDialect  `json:"dialect"`
	Schema      tableSchema `json:"schema"`
}

type csvDialect struct {
	Delimiter      string `json:"delimiter"`
	DoubleQuote    bool   `json:"doubleQuote"`
	LineTerminator string `json:"lineTerminator"`
	Header         bool   `json:"header"`
}

type tableSchema struct {
	Fields        []schemaField `json:"fields"`
	PrimaryKey    []string      `json:"primaryKey,omitempty"`
	MissingValues []string      `json:"missingValues"`
}

type schemaField struct {
	Name        string            `json:"name"`
	Type        string            `json:"type"`
	Format      string            `json:"format,omitempty"`
	Description string            `json:"description"`
	Constraints *fieldConstraints `json:"constraints,omitempty"`
}

type fieldConstraints struct {
	Required bool `json:"required"`
}

// restitutionTitle is the bundle's title.
func (r Restitution) restitutionTitle() string {
	return "Programme ENT du premier degré de l'académie de " + r.Academie + " : données ouvertes"
}

// writeDataPackage writes datapackage.json.
func writeDataPackage(w io.Writer, r Restitution) error {
	dp := dataPackage{Profile: "tabular-data-package", Name: r.RestitutionName(), Title: r.restitutionTitle(),
		Description: "Le plan de déploiement des ENT dans les écoles, ses références, le déploiement par école, les jalons, " +
			"les conventions et leurs communes, la charte et ses adoptions, et les agrégats des financements, des formations et des usages. " +
			"Aucune donnée personnelle : ni nom, ni adresse électronique, ni signataire.",
		Version: r.At.Format(time.DateOnly), Created: r.At.UTC().Format(time.RFC3339),
		Keywords: []string{"ENT", "premier degré", "écoles", "académie de " + r.Academie, "restitution"},
		Licenses: []dpLicence{{Name: LicenceName, Path: LicenceURL, Title: LicenceTitle}}}
	for _, t := range r.Tables {
		res := dataResource{Profile: "tabular-data-resource", Name: t.Name, Path: t.Name + ".csv", Title: t.Title,
			Description: t.Description, Format: "csv", Mediatype: "text/csv", Encoding: "utf-8",
			Dialect: csvDialect{Delimiter: ",", DoubleQuote: true, LineTerminator: "\r\n", Header: true},
			Schema:  tableSchema{PrimaryKey: t.PrimaryKey, MissingValues: []string{""}}}
		for _, f := range t.Fields {
			sf := schemaField{Name: f.Name, Type: f.Type, Description: f.Description}
			if f.Type == models.RestDate {
				sf.Format = "default" // YYYY-MM-DD
			}
			if f.Required {
				sf.Constraints = &fieldConstraints{Required: true}
			}
			res.Schema.Fields = append(res.Schema.Fields, sf)
		}
		dp.Resources = append(dp.Resources, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(dp)
}

// frenchMonths are the months as a French date writes them.
var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// LongDate writes a day as French prose: « 7 décembre 2026 » (« 1er » for the first).
func LongDate(t time.Time) string {
	d := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		d = "1er"
	}
	return d + " " + frenchMonths[t.Month()-1] + " " + fmt.Sprint(t.Year())
}

// writeRestitutionReadme writes README.md: what the bundle is, its licence, its files.
func writeRestitutionReadme(w io.Writer, r Restitution) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.restitutionTitle())
	fmt.Fprintf(&b, "Jeu de données produit le %s par l'application Pilotage ENT 1D.\n\n", LongDate(r.At.In(fr.Paris())))
	b.WriteString("La convention de 2011 entre le Rectorat et l'Association des maires d'Île-de-France prévoit la « restitution » : " +
		"les partenaires ouvrent leurs travaux aux autres académies. Ce dossier publie le programme de déploiement des espaces " +
		"numériques de travail (ENT) dans les écoles, sous une forme que d'autres peuvent lire et réutiliser.\n\n")
	b.WriteString("## Licence\n\n")
	fmt.Fprintf(&b, "%s (%s) : %s\n\n", LicenceTitle, LicenceName, LicenceURL)
	b.WriteString("Réutilisation libre, y compris commerciale, sous réserve de mentionner la source " +
		"(« académie de " + r.Academie + ", Pilotage ENT 1D ») et la date du jeu de données.\n\n")
	b.WriteString("## Données personnelles\n\n")
	b.WriteString("Aucune : le dossier ne contient ni nom, ni adresse électronique, ni téléphone, ni signataire de convention, " +
		"ni auteur de modification. Les formations et les usages ne sont donnés qu'en effectifs et en sommes.\n\n")
	b.WriteString("## Format\n\n")
	b.WriteString("Un paquet de données Frictionless (Tabular Data Package v1) : `datapackage.json` décrit chaque fichier " +
		"(colonnes, types, descriptions, clés). Fichiers CSV en UTF-8 (sans BOM), séparateur virgule, fins de ligne CRLF, " +
		"une ligne d'en-tête ; dates au format AAAA-MM-JJ ; montants en euros avec un point décimal ; valeur inconnue : champ vide ; " +
		"booléens `true`/`false`. Un texte qui commencerait par `=`, `+`, `-` ou `@` est précédé d'une apostrophe " +
		"(protection contre l'injection de formules dans les tableurs).\n\n")
	b.WriteString("## Fichiers\n\n| fichier | contenu | clé |\n|---|---|---|\n")
	for _, t := range r.Tables {
		key := strings.Join(t.PrimaryKey, ", ")
		if key == "" {
			key = "—"
		}
		fmt.Fprintf(&b, "| `%s.csv` | %s | %s |\n", t.Name, t.Title, key)
	}
	b.WriteString("\nLes identifiants (`id`, `vague_id`, `convention_id`…) relient les fichiers entre eux ; " +
		"les écoles sont désignées par leur UAI et les communes par leur code INSEE, comme dans les référentiels nationaux.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
