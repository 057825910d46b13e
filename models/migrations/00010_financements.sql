-- Financing plans: of a convention, or of a commune or a group of communes; the portage
-- (commune seule, intercommunalité / EPCI, groupement de commandes); for a group, its member
-- communes and the split key (per pupil, per école, per population, or fixed shares in
-- hundredths of a percent); the lines, by year, funder and nature, amounts in integer cents.
-- A plan's scope is its département and its communes.

CREATE TABLE financements (
    id                {{id}},
    titre             TEXT NOT NULL,
    convention_id     BIGINT REFERENCES conventions (id),
    portage           TEXT NOT NULL CHECK (portage IN ('commune', 'intercommunalite', 'groupement')),
    departement_code  TEXT NOT NULL REFERENCES departements (code),
    code_insee        TEXT REFERENCES communes (code_insee),
    epci_siren        TEXT REFERENCES epci (siren),
    cle_repartition   TEXT NOT NULL DEFAULT 'eleves' CHECK (cle_repartition IN ('eleves', 'ecoles', 'population', 'parts')),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX financements_departement ON financements (departement_code, id);
CREATE INDEX financements_convention ON financements (convention_id);

-- The communes of a plan (one for "commune seule"); part_fixe is the fixed share of the
-- commune in hundredths of a percent (10000 = 100 %), used with the "parts" key.
CREATE TABLE financement_communes (
    financement_id  BIGINT NOT NULL REFERENCES financements (id),
    code_insee      TEXT NOT NULL REFERENCES communes (code_insee),
    part_fixe       INTEGER CHECK (part_fixe IS NULL OR part_fixe BETWEEN 0 AND 10000),
    PRIMARY KEY (financement_id, code_insee)
);
CREATE INDEX financement_communes_commune ON financement_communes (code_insee, financement_id);

CREATE TABLE financement_lignes (
    id                {{id}},
    financement_id    BIGINT NOT NULL REFERENCES financements (id),
    annee             INTEGER NOT NULL CHECK (annee BETWEEN 2011 AND 2100),
    type_annee        TEXT NOT NULL DEFAULT 'scolaire' CHECK (type_annee IN ('scolaire', 'civile')),
    financeur         TEXT NOT NULL CHECK (financeur IN ('commune', 'epci', 'etat', 'departement', 'region', 'autre')),
    nature            TEXT NOT NULL CHECK (nature IN ('investissement', 'fonctionnement')),
    libelle           TEXT NOT NULL DEFAULT '',
    prevu_centimes    BIGINT NOT NULL CHECK (prevu_centimes >= 0),
    realise_centimes  BIGINT CHECK (realise_centimes IS NULL OR realise_centimes >= 0),
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX financement_lignes_plan ON financement_lignes (financement_id, annee, financeur);
