-- Organisations (every party of the programme) and their contacts (personal data, RGPD).
-- Programme data: each row carries the territory that scopes it (département, commune, EPCI);
-- a row without territory (Rectorat, AMIF, vendors...) is shared by every signed-in user.

CREATE TABLE organisations (
    id                {{id}},
    nom               TEXT NOT NULL,
    nom_recherche     TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('rectorat', 'dsden', 'amif', 'amf', 'amrf', 'artesi',
                                                     'commune', 'epci', 'editeur_ent', 'universite', 'autre')),
    departement_code  TEXT REFERENCES departements (code),
    code_insee        TEXT REFERENCES communes (code_insee),
    epci_siren        TEXT REFERENCES epci (siren),
    adresse           TEXT NOT NULL DEFAULT '',
    site_web          TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX organisations_nom ON organisations (nom_recherche, id);
CREATE INDEX organisations_departement ON organisations (departement_code);
CREATE UNIQUE INDEX organisations_commune_live ON organisations (code_insee) WHERE archived_at IS NULL AND kind = 'commune';
CREATE UNIQUE INDEX organisations_epci_live ON organisations (epci_siren) WHERE archived_at IS NULL AND kind = 'epci';

CREATE TABLE contacts (
    id               {{id}},
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    nom              TEXT NOT NULL,
    prenom           TEXT NOT NULL DEFAULT '',
    nom_recherche    TEXT NOT NULL,
    fonction         TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    telephone        TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    anonymised_at    {{timestamp}},
    created_at       {{timestamp}} NOT NULL,
    updated_at       {{timestamp}} NOT NULL,
    archived_at      {{timestamp}},
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_organisation ON contacts (organisation_id, nom_recherche);
CREATE INDEX contacts_nom ON contacts (nom_recherche, id);
CREATE INDEX contacts_email ON contacts (email);
CREATE INDEX contacts_updated ON contacts (updated_at);
