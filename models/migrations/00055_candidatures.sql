-- The feasibility study: campaigns of candidatures for the pilot sites, their weighted
-- criteria, the candidatures of a commune or a group of communes (optionally carried by an
-- EPCI) with the écoles they propose, the scores of each criterion (0 to 5) and the decision
-- taken on each candidature. The weighted score and the ranks are derived from the scores,
-- never stored.

-- A campaign is the académie's (no département) or a département's. Its pilot wave is where
-- the écoles of a retained candidature go.
CREATE TABLE campagnes (
    id                {{id}},
    nom               TEXT NOT NULL,
    annee_scolaire    TEXT NOT NULL,
    departement_code  TEXT REFERENCES departements (code),
    date_ouverture    DATE,
    date_cloture      DATE,
    statut            TEXT NOT NULL DEFAULT 'ouverte' CHECK (statut IN ('ouverte', 'close')),
    vague_id          BIGINT REFERENCES vagues (id),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX campagnes_annee ON campagnes (annee_scolaire, id);

-- The weighted criteria of a campaign, in their order.
CREATE TABLE campagne_criteres (
    id           {{id}},
    campagne_id  BIGINT NOT NULL REFERENCES campagnes (id) ON DELETE CASCADE,
    libelle      TEXT NOT NULL,
    poids        INTEGER NOT NULL CHECK (poids BETWEEN 1 AND 100),
    ordre        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX campagne_criteres_campagne ON campagne_criteres (campagne_id, ordre, id);

-- A candidature: its département is that of its communes.
CREATE TABLE candidatures (
    id                {{id}},
    campagne_id       BIGINT NOT NULL REFERENCES campagnes (id),
    titre             TEXT NOT NULL,
    departement_code  TEXT NOT NULL REFERENCES departements (code),
    epci_siren        TEXT REFERENCES epci (siren),
    contact_id        BIGINT REFERENCES contacts (id),
    decision          TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'retenue', 'liste_attente', 'refusee', 'retiree')),
    decision_date     DATE,
    decision_id       BIGINT REFERENCES decisions (id),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX candidatures_campagne ON candidatures (campagne_id, departement_code, id);
CREATE INDEX candidatures_departement ON candidatures (departement_code, id);

CREATE TABLE candidature_communes (
    candidature_id  BIGINT NOT NULL REFERENCES candidatures (id) ON DELETE CASCADE,
    code_insee      TEXT NOT NULL REFERENCES communes (code_insee),
    PRIMARY KEY (candidature_id, code_insee)
);
CREATE INDEX candidature_communes_commune ON candidature_communes (code_insee, candidature_id);

CREATE TABLE candidature_ecoles (
    candidature_id  BIGINT NOT NULL REFERENCES candidatures (id) ON DELETE CASCADE,
    uai             TEXT NOT NULL REFERENCES ecoles (uai),
    PRIMARY KEY (candidature_id, uai)
);
CREATE INDEX candidature_ecoles_ecole ON candidature_ecoles (uai);

-- The score of one criterion of a candidature (a criterion not scored has no row).
CREATE TABLE candidature_notes (
    candidature_id  BIGINT NOT NULL REFERENCES candidatures (id) ON DELETE CASCADE,
    critere_id      BIGINT NOT NULL REFERENCES campagne_criteres (id) ON DELETE CASCADE,
    note            INTEGER NOT NULL CHECK (note BETWEEN 0 AND 5),
    commentaire     TEXT NOT NULL DEFAULT '',
    noted_by        TEXT NOT NULL DEFAULT '',
    updated_at      {{timestamp}} NOT NULL,
    PRIMARY KEY (candidature_id, critere_id)
);
CREATE INDEX candidature_notes_critere ON candidature_notes (critere_id);
