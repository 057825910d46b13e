-- Conventions: the convention cadre (académie), one convention départementale per
-- département under it, and local conventions (IA-DASEN with a commune, a group of communes
-- or an EPCI) under their département's; their parties and signatures, the communes and the
-- annex of écoles they cover, the workflow's transitions (the timeline), the avenants, and
-- the models of convention text kept by the administrator. A convention's scope is its
-- département (NULL for the cadre, shared by every signed-in user) and, for the narrower
-- scopes, its communes. date_fin is the expiry after the avenants of prolongation
-- (date_expiration is the one signed), kept by the data layer.

CREATE TABLE conventions (
    id                 {{id}},
    reference          TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('cadre', 'departementale', 'locale')),
    parent_id          BIGINT REFERENCES conventions (id),
    departement_code   TEXT REFERENCES departements (code),
    epci_siren         TEXT REFERENCES epci (siren),
    titre              TEXT NOT NULL,
    objet              TEXT NOT NULL DEFAULT '',
    charte_version_id  BIGINT REFERENCES charte_versions (id),
    statut             TEXT NOT NULL DEFAULT 'brouillon' CHECK (statut IN ('brouillon', 'negociation', 'deliberation',
                                                   'signature', 'signee', 'en_vigueur', 'echue', 'resiliee')),
    statut_depuis      {{timestamp}} NOT NULL,
    date_deliberation  DATE,
    date_signature     DATE,
    date_effet         DATE,
    date_expiration    DATE,
    date_fin           DATE,
    preavis_mois       INTEGER CHECK (preavis_mois IS NULL OR preavis_mois BETWEEN 0 AND 36),
    renouvellement     TEXT NOT NULL DEFAULT 'avenant' CHECK (renouvellement IN ('tacite', 'avenant')),
    date_resiliation   DATE,
    motif_resiliation  TEXT NOT NULL DEFAULT '',
    created_at         {{timestamp}} NOT NULL,
    updated_at         {{timestamp}} NOT NULL,
    archived_at        {{timestamp}},
    version            INTEGER NOT NULL DEFAULT 1,
    CHECK ((kind = 'cadre') = (departement_code IS NULL))
);
CREATE UNIQUE INDEX conventions_reference ON conventions (reference);
CREATE INDEX conventions_departement ON conventions (departement_code, statut, date_expiration);
CREATE INDEX conventions_parent ON conventions (parent_id);
CREATE INDEX conventions_fin ON conventions (date_fin);

CREATE TABLE convention_parties (
    id                   {{id}},
    convention_id        BIGINT NOT NULL REFERENCES conventions (id),
    organisation_id      BIGINT NOT NULL REFERENCES organisations (id),
    position             INTEGER NOT NULL DEFAULT 0,
    signataire_nom       TEXT NOT NULL DEFAULT '',
    signataire_fonction  TEXT NOT NULL DEFAULT '',
    date_signature       DATE,
    UNIQUE (convention_id, organisation_id)
);
CREATE INDEX convention_parties_organisation ON convention_parties (organisation_id);

CREATE TABLE convention_communes (
    convention_id  BIGINT NOT NULL REFERENCES conventions (id),
    code_insee     TEXT NOT NULL REFERENCES communes (code_insee),
    PRIMARY KEY (convention_id, code_insee)
);
CREATE INDEX convention_communes_commune ON convention_communes (code_insee, convention_id);

CREATE TABLE avenants (
    id                   {{id}},
    convention_id        BIGINT NOT NULL REFERENCES conventions (id),
    numero               INTEGER NOT NULL,
    objet                TEXT NOT NULL CHECK (objet IN ('prolongation', 'extension_annexe', 'financement', 'autre')),
    description          TEXT NOT NULL DEFAULT '',
    date_signature       DATE,
    date_effet           DATE,
    nouvelle_expiration  DATE,
    created_at           {{timestamp}} NOT NULL,
    updated_at           {{timestamp}} NOT NULL,
    archived_at          {{timestamp}},
    version              INTEGER NOT NULL DEFAULT 1,
    UNIQUE (convention_id, numero)
);

-- The annex: écoles covered, by the convention itself (avenant_id NULL) or added by an
-- avenant extending the annex.
CREATE TABLE convention_ecoles (
    convention_id  BIGINT NOT NULL REFERENCES conventions (id),
    uai            TEXT NOT NULL REFERENCES ecoles (uai),
    avenant_id     BIGINT REFERENCES avenants (id),
    PRIMARY KEY (convention_id, uai)
);
CREATE INDEX convention_ecoles_uai ON convention_ecoles (uai);

-- The timeline: one row per transition of the workflow (the audit log has the same event).
CREATE TABLE convention_transitions (
    id             {{id}},
    convention_id  BIGINT NOT NULL REFERENCES conventions (id),
    de             TEXT NOT NULL,
    vers           TEXT NOT NULL,
    date_effet     DATE,
    motif          TEXT NOT NULL DEFAULT '',
    user_id        BIGINT REFERENCES users (id),
    user_nom       TEXT NOT NULL DEFAULT '',
    created_at     {{timestamp}} NOT NULL
);
CREATE INDEX convention_transitions_convention ON convention_transitions (convention_id, created_at);

CREATE TABLE convention_modeles (
    id           {{id}},
    nom          TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('cadre', 'departementale', 'locale')),
    texte        TEXT NOT NULL,
    created_at   {{timestamp}} NOT NULL,
    updated_at   {{timestamp}} NOT NULL,
    archived_at  {{timestamp}},
    version      INTEGER NOT NULL DEFAULT 1
);
