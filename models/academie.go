package models

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"

	"gorm.io/gorm"
)

// Academie is the académie the installation serves: configuration loaded with its
// reference data (seeds: academie.json), never written in the code. The zero Academie
// stands for a database whose reference data is not loaded yet.
type Academie struct {
	Code            string // "creteil"
	Nom             string // "Créteil"
	Zone            string // school-holiday zone, "C"
	AdresseRectorat string // postal address of the rectorat, for the legal pages
	CourrielDPD     string // the data protection officer's address
	Version         int
}

// TableName is the academie table (one row).
func (Academie) TableName() string { return "academie" }

// Known reports whether the académie is loaded.
func (a Academie) Known() bool { return a.Nom != "" }

// De is the name after « de », with the elision French requires: "de Créteil", "d'Amiens",
// "d'Orléans-Tours".
func (a Academie) De() string {
	if a.Nom == "" {
		return ""
	}
	first := []rune(strings.ToLower(a.Nom))[0]
	if strings.ContainsRune("aeiouyhàâäéèêëîïôöùûü", first) || !unicode.IsLetter(first) {
		return "d'" + a.Nom
	}
	return "de " + a.Nom
}

// Libelle is "Académie de Créteil", "" when the académie is not loaded.
func (a Academie) Libelle() string {
	if a.Nom == "" {
		return ""
	}
	return "Académie " + a.De()
}

// Rectorat is "Rectorat de l'académie de Créteil", "le rectorat" when not loaded.
func (a Academie) Rectorat() string {
	if a.Nom == "" {
		return "Rectorat de l'académie"
	}
	return "Rectorat de l'académie " + a.De()
}

// AcademieInput is an académie's configuration, as read from its folder.
type AcademieInput struct {
	Code, Nom, Zone              string
	AdresseRectorat, CourrielDPD string
	Departements                 []string // codes of its départements
}

// importAcademie is the subject of the académie's import in the audit log.
var importAcademie = importSubject{entity: "referentiel", data: "académie"}

// Academie returns the académie of the installation; the zero Academie (and no error) when
// the reference data is not loaded.
func (s *Store) Academie(ctx context.Context) (Academie, error) {
	var rows []Academie
	if err := s.db.WithContext(ctx).Table("academie").Select("code, nom, zone, adresse_rectorat, courriel_dpd, version").
		Limit(1).Scan(&rows).Error; err != nil || len(rows) == 0 {
		return Academie{}, err
	}
	return rows[0], nil
}

// academieZone is the school-holiday zone of the installation, "C" (Créteil's, the
// product's first) when the académie is not loaded.
func academieZone(tx *gorm.DB) (string, error) {
	var zones []string
	if err := tx.Table("academie").Limit(1).Pluck("zone", &zones).Error; err != nil {
		return "", err
	}
	if len(zones) == 0 || zones[0] == "" {
		return "C", nil
	}
	return zones[0], nil
}

// describeAcademie is the académie's scope for the pages: "Académie de Créteil (77, 93, 94)".
func (s *Store) describeAcademie(ctx context.Context) (string, error) {
	a, err := s.Academie(ctx)
	if err != nil {
		return "", err
	}
	var codes []string
	if err := s.db.WithContext(ctx).Table("departements").Order("code").Pluck("code", &codes).Error; err != nil {
		return "", err
	}
	label := a.Libelle()
	if label == "" {
		label = "Toute l'académie"
	}
	if len(codes) > 0 {
		label += " (" + strings.Join(codes, ", ") + ")"
	}
	return label, nil
}

// ImportAcademie records the académie of the installation, before its départements. An
// installation serves one académie: loading another one into a database that holds an
// académie, or départements outside the new one, is refused with a French message and
// writes nothing. Loading the same configuration again changes nothing.
func (s *Store) ImportAcademie(ctx context.Context, in AcademieInput, opts ImportOptions) (ImportCounts, error) {
	return s.importTx(ctx, opts, importAcademie, func(tx *gorm.DB) (ImportCounts, error) {
		if err := validateAcademie(in); err != nil {
			return ImportCounts{}, err
		}
		var stored []Academie
		if err := tx.Table("academie").Select("code, nom, zone, adresse_rectorat, courriel_dpd, version").Scan(&stored).Error; err != nil {
			return ImportCounts{}, err
		}
		if len(stored) > 0 && stored[0].Code != in.Code {
			var errs ValidationError
			errs.Add(0, "code", fmt.Sprintf("la base contient déjà l'académie %s : une installation sert une seule académie, "+
				"chargez l'académie %s dans une base neuve", stored[0].De(), (Academie{Nom: in.Nom}).De()))
			return ImportCounts{}, &errs
		}
		var deps []string
		if err := tx.Table("departements").Order("code").Pluck("code", &deps).Error; err != nil {
			return ImportCounts{}, err
		}
		var outside []string
		for _, d := range deps {
			if !slices.Contains(in.Departements, d) {
				outside = append(outside, d)
			}
		}
		if len(outside) > 0 {
			var errs ValidationError
			errs.Add(0, "departements", "la base contient déjà les départements "+strings.Join(outside, ", ")+
				", hors de l'académie "+(Academie{Nom: in.Nom}).De()+" : chargez-la dans une base neuve")
			return ImportCounts{}, &errs
		}
		values := map[string]any{"code": in.Code, "nom": in.Nom, "zone": in.Zone,
			"adresse_rectorat": in.AdresseRectorat, "courriel_dpd": in.CourrielDPD}
		now := s.now().UTC()
		if len(stored) == 0 {
			values["id"], values["created_at"], values["updated_at"], values["version"] = 1, now, now, 1
			return ImportCounts{Created: 1}, tx.Table("academie").Create(values).Error
		}
		st := stored[0]
		if st.Nom == in.Nom && st.Zone == in.Zone && st.AdresseRectorat == in.AdresseRectorat && st.CourrielDPD == in.CourrielDPD {
			return ImportCounts{Unchanged: 1}, nil
		}
		values["updated_at"], values["version"] = now, gorm.Expr("version + 1")
		return ImportCounts{Updated: 1}, tx.Table("academie").Where("id = 1").Updates(values).Error
	})
}

// validateAcademie checks an académie's configuration, every field at once.
func validateAcademie(in AcademieInput) error {
	var errs ValidationError
	if in.Code == "" || strings.Trim(in.Code, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || len(in.Code) > 40 {
		errs.Add(0, "code", "code d'académie invalide : lettres minuscules sans accent, chiffres et tirets (ex. creteil)")
	}
	checkText(&errs, 0, "nom", in.Nom, 100)
	checkText(&errs, 0, "zone", in.Zone, 30)
	if len(in.Departements) == 0 {
		errs.Add(0, "departements", "au moins un département attendu (ex. [\"77\", \"93\", \"94\"])")
	}
	for _, d := range in.Departements {
		if !ValidDepartementCode(d) {
			errs.Add(0, "departements", "code de département invalide : "+d)
		}
	}
	if utf8Len(in.AdresseRectorat) > 300 {
		errs.Add(0, "adresse_rectorat", "300 caractères au maximum")
	}
	if in.CourrielDPD != "" {
		if a, err := mail.ParseAddress(in.CourrielDPD); err != nil || a.Address != in.CourrielDPD {
			errs.Add(0, "courriel_dpd", "adresse électronique invalide : "+in.CourrielDPD)
		}
	}
	return errs.OrNil()
}

func utf8Len(s string) int { return len([]rune(s)) }
