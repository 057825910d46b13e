-- Territory of the académie: reference data loaded from open data, keyed by natural keys
-- (département code, INSEE code, UAI, SIREN) so that re-loading updates and never duplicates.

CREATE TABLE departements (
    code        TEXT PRIMARY KEY,
    nom         TEXT NOT NULL,
    academie    TEXT NOT NULL,
    created_at  {{timestamp}} NOT NULL,
    updated_at  {{timestamp}} NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE epci (
    siren              TEXT PRIMARY KEY,
    nom                TEXT NOT NULL,
    nom_recherche      TEXT NOT NULL,
    type               TEXT NOT NULL,
    nb_communes_total  INTEGER NOT NULL DEFAULT 0,
    population_totale  INTEGER NOT NULL DEFAULT 0,
    created_at         {{timestamp}} NOT NULL,
    updated_at         {{timestamp}} NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE circonscriptions (
    code              TEXT PRIMARY KEY,
    nom               TEXT NOT NULL,
    departement_code  TEXT NOT NULL REFERENCES departements (code),
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX circonscriptions_departement ON circonscriptions (departement_code, nom);

CREATE TABLE communes (
    code_insee        TEXT PRIMARY KEY,
    nom               TEXT NOT NULL,
    nom_recherche     TEXT NOT NULL,
    departement_code  TEXT NOT NULL REFERENCES departements (code),
    population        INTEGER NOT NULL DEFAULT 0,
    codes_postaux     TEXT NOT NULL DEFAULT '',
    epci_siren        TEXT REFERENCES epci (siren),
    ept_siren         TEXT REFERENCES epci (siren),
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX communes_departement_nom ON communes (departement_code, nom, code_insee);
CREATE INDEX communes_nom ON communes (nom, code_insee);
CREATE INDEX communes_population ON communes (population, code_insee);
CREATE INDEX communes_epci ON communes (epci_siren, nom);
CREATE INDEX communes_ept ON communes (ept_siren, nom);

CREATE TABLE ecoles (
    uai                    TEXT PRIMARY KEY,
    nom                    TEXT NOT NULL,
    nom_recherche          TEXT NOT NULL,
    type                   TEXT NOT NULL CHECK (type IN ('maternelle', 'elementaire', 'primaire')),
    statut                 TEXT NOT NULL CHECK (statut IN ('public', 'prive')),
    code_insee             TEXT NOT NULL REFERENCES communes (code_insee),
    departement_code       TEXT NOT NULL REFERENCES departements (code),
    code_circonscription   TEXT REFERENCES circonscriptions (code),
    nb_eleves              INTEGER CHECK (nb_eleves >= 0),
    nb_classes             INTEGER CHECK (nb_classes >= 0),
    education_prioritaire  TEXT NOT NULL DEFAULT '' CHECK (education_prioritaire IN ('', 'REP', 'REP+')),
    source                 TEXT NOT NULL DEFAULT '',
    created_at             {{timestamp}} NOT NULL,
    updated_at             {{timestamp}} NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ecoles_departement_nom ON ecoles (departement_code, nom, uai);
CREATE INDEX ecoles_nom ON ecoles (nom, uai);
CREATE INDEX ecoles_commune ON ecoles (code_insee, nom);
CREATE INDEX ecoles_circonscription ON ecoles (code_circonscription, nom);
CREATE INDEX ecoles_eleves ON ecoles (nb_eleves, uai);

CREATE TABLE jours_feries (
    date  DATE PRIMARY KEY,
    nom   TEXT NOT NULL
);

CREATE TABLE vacances_scolaires (
    id            {{id}},
    zone          TEXT NOT NULL,
    nom           TEXT NOT NULL,
    premier_jour  DATE NOT NULL,
    dernier_jour  DATE NOT NULL,
    UNIQUE (zone, premier_jour)
);
