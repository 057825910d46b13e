-- The rollout plan: the ENT solutions, the waves (vagues) of the plan, the deployment of each
-- école with the history of its phases, and the figures of the deployments kept per
-- département and phase.

-- An ENT solution: a product of a vendor (an organisation of kind "industriel"), its version,
-- hosting and identity federation. The calls for tender attach to it later.
CREATE TABLE solutions_ent (
    id               {{id}},
    produit          TEXT NOT NULL,
    editeur_id       BIGINT REFERENCES organisations (id),
    version_produit  TEXT NOT NULL DEFAULT '',
    hebergement      TEXT NOT NULL DEFAULT '',
    federation       TEXT NOT NULL DEFAULT '' CHECK (federation IN ('', 'sso_academique', 'educonnect', 'sso_academique_educonnect')),
    notes            TEXT NOT NULL DEFAULT '',
    created_at       {{timestamp}} NOT NULL,
    updated_at       {{timestamp}} NOT NULL,
    archived_at      {{timestamp}},
    version          INTEGER NOT NULL DEFAULT 1
);

-- A wave of the plan: the pilot sites (pilote), then one wave per school year. A wave is the
-- académie's (no département) or a département's. Its target is the écoles it holds (the
-- deployments whose vague_id is the wave); cible_ecoles, when set, is the number of écoles
-- the plan aims at.
CREATE TABLE vagues (
    id                {{id}},
    nom               TEXT NOT NULL,
    annee_scolaire    TEXT NOT NULL,
    pilote            BOOLEAN NOT NULL DEFAULT FALSE,
    departement_code  TEXT REFERENCES departements (code),
    ouverture_prevue  DATE,
    cible_ecoles      INTEGER CHECK (cible_ecoles IS NULL OR cible_ecoles >= 0),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX vagues_annee ON vagues (annee_scolaire, id);

-- The deployment of an école: at most one per école (an école without one is not yet in the
-- programme). The territory columns repeat the école's so that the scope and the figures
-- read this table alone; refreshDepartementFigures sets them again at every import of the
-- reference data. date_phase is the effective date of the current phase; the history keeps
-- every change with its effective date.
CREATE TABLE deploiements (
    id                    {{id}},
    uai                   TEXT NOT NULL UNIQUE REFERENCES ecoles (uai),
    departement_code      TEXT NOT NULL REFERENCES departements (code),
    code_circonscription  TEXT REFERENCES circonscriptions (code),
    code_insee            TEXT NOT NULL REFERENCES communes (code_insee),
    vague_id              BIGINT REFERENCES vagues (id),
    solution_id           BIGINT REFERENCES solutions_ent (id),
    phase                 TEXT NOT NULL CHECK (phase IN ('candidate', 'etude', 'pilote', 'en_deploiement', 'ouvert', 'generalise', 'abandonne')),
    date_phase            DATE NOT NULL,
    ouverture_prevue      DATE,
    ouverture_effective   DATE,
    created_at            {{timestamp}} NOT NULL,
    updated_at            {{timestamp}} NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX deploiements_departement ON deploiements (departement_code, phase);
CREATE INDEX deploiements_circonscription ON deploiements (code_circonscription, phase);
CREATE INDEX deploiements_commune ON deploiements (code_insee, phase);
CREATE INDEX deploiements_phase ON deploiements (phase, uai);
CREATE INDEX deploiements_vague ON deploiements (vague_id, phase);
CREATE INDEX deploiements_solution ON deploiements (solution_id);

-- The history of the phases of each deployment: one row per change of phase, with its
-- effective date (date_effet, chosen by the user) and when it was recorded (at).
CREATE TABLE deploiement_phases (
    id          {{id}},
    uai         TEXT NOT NULL REFERENCES ecoles (uai),
    phase       TEXT NOT NULL,
    date_effet  DATE NOT NULL,
    at          {{timestamp}} NOT NULL,
    actor       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deploiement_phases_ecole ON deploiement_phases (uai, date_effet, id);
CREATE INDEX deploiement_phases_date ON deploiement_phases (phase, date_effet);

-- The figures of the deployments per département and phase (écoles and their pupils), kept
-- in the transaction of every change of a deployment and at every import of écoles.
CREATE TABLE chiffres_deploiements (
    departement_code  TEXT NOT NULL REFERENCES departements (code),
    phase             TEXT NOT NULL,
    nb_ecoles         BIGINT NOT NULL DEFAULT 0,
    nb_eleves         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (departement_code, phase)
);
