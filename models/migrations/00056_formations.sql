-- Training (issue 13): a catalogue of modules, a training plan per school year and
-- département, the sessions of a plan (table formations), the registrations of participants
-- or of écoles with a headcount, with a waiting list and the attendance, and the answers to
-- the evaluation questionnaire of a session. Means and coverage are derived, never stored.

-- The académie's catalogue of modules, in their order.
CREATE TABLE formation_modules (
    id             {{id}},
    libelle        TEXT NOT NULL UNIQUE,
    description    TEXT NOT NULL DEFAULT '',
    duree_minutes  INTEGER CHECK (duree_minutes IS NULL OR duree_minutes BETWEEN 1 AND 1440),
    ordre          INTEGER NOT NULL DEFAULT 0,
    created_at     {{timestamp}} NOT NULL,
    updated_at     {{timestamp}} NOT NULL,
    archived_at    {{timestamp}},
    version        INTEGER NOT NULL DEFAULT 1
);
INSERT INTO formation_modules (libelle, description, duree_minutes, ordre, created_at, updated_at) VALUES
    ('Prise en main de l''ENT', 'Se connecter, naviguer, utiliser la messagerie et le cahier de textes.', 180, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Usages pédagogiques', 'Blog de classe, espace documentaire, travail collaboratif avec les élèves.', 180, 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Administration de l''ENT pour les directeurs', 'Comptes, classes, droits et communication avec les familles.', 180, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Protection des données', 'RGPD à l''école : données des élèves, droits des familles, bonnes pratiques.', 90, 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Formation de formateurs', 'Animer une session de prise en main dans sa circonscription.', 360, 5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- A training plan: one per school year and département.
CREATE TABLE plans_formation (
    id                {{id}},
    annee_scolaire    TEXT NOT NULL,
    departement_code  TEXT NOT NULL REFERENCES departements (code),
    titre             TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (annee_scolaire, departement_code)
);

-- A session of a plan. Its département is its plan's; a session without circonscription is
-- the département's. Its territory columns are what the scope reads (policy.go). inscrits is
-- the number of seats taken (registered headcounts), kept in the transaction of every
-- registration so that one conditional UPDATE decides a seat on both engines. sequence is
-- the SEQUENCE of its calendar event, bumped at every change a calendar must see.
CREATE TABLE formations (
    id                    {{id}},
    plan_id               BIGINT NOT NULL REFERENCES plans_formation (id),
    module_id             BIGINT NOT NULL REFERENCES formation_modules (id),
    public                TEXT NOT NULL CHECK (public IN ('enseignants', 'directeurs', 'formateurs', 'agents_municipaux', 'elus')),
    departement_code      TEXT NOT NULL REFERENCES departements (code),
    code_circonscription  TEXT REFERENCES circonscriptions (code),
    lieu                  TEXT NOT NULL DEFAULT '',
    a_distance            BOOLEAN NOT NULL DEFAULT FALSE,
    lien                  TEXT NOT NULL DEFAULT '',
    date_session          DATE NOT NULL,
    heure_debut           TEXT NOT NULL,
    duree_minutes         INTEGER NOT NULL CHECK (duree_minutes BETWEEN 1 AND 1440),
    formateur_id          BIGINT REFERENCES contacts (id),
    capacite              INTEGER NOT NULL CHECK (capacite BETWEEN 1 AND 10000),
    inscrits              INTEGER NOT NULL DEFAULT 0 CHECK (inscrits >= 0 AND inscrits <= capacite),
    statut                TEXT NOT NULL DEFAULT 'planifiee' CHECK (statut IN ('planifiee', 'ouverte', 'complete', 'tenue', 'annulee')),
    sequence              INTEGER NOT NULL DEFAULT 0,
    notes                 TEXT NOT NULL DEFAULT '',
    created_at            {{timestamp}} NOT NULL,
    updated_at            {{timestamp}} NOT NULL,
    archived_at           {{timestamp}},
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX formations_date ON formations (date_session, id);
CREATE INDEX formations_departement ON formations (departement_code, date_session, id);
CREATE INDEX formations_circonscription ON formations (code_circonscription, date_session, id);
CREATE INDEX formations_plan ON formations (plan_id, date_session, id);
CREATE INDEX formations_module ON formations (module_id);

-- A registration: a named participant (effectif 1) or an école with a headcount. statut
-- 'inscrit' holds seats, 'attente' waits in the order of its id, 'annulee' is cancelled.
-- A participant's école (uai) or, for municipal agents and elected members, their commune
-- (code_insee). The name, function and email are personal data (contacts' rules): erased_at
-- marks a participant erased (name and email emptied, the row kept for the counts).
CREATE TABLE formation_inscriptions (
    id            {{id}},
    formation_id  BIGINT NOT NULL REFERENCES formations (id),
    kind          TEXT NOT NULL CHECK (kind IN ('participant', 'ecole')),
    nom           TEXT NOT NULL DEFAULT '',
    fonction      TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    uai           TEXT REFERENCES ecoles (uai),
    code_insee    TEXT REFERENCES communes (code_insee),
    effectif      INTEGER NOT NULL DEFAULT 1 CHECK (effectif BETWEEN 1 AND 1000),
    statut        TEXT NOT NULL CHECK (statut IN ('inscrit', 'attente', 'annulee')),
    presence      TEXT NOT NULL DEFAULT '' CHECK (presence IN ('', 'present', 'absent', 'excuse')),
    presents      INTEGER CHECK (presents IS NULL OR presents >= 0),
    created_by    BIGINT REFERENCES users (id),
    created_at    {{timestamp}} NOT NULL,
    updated_at    {{timestamp}} NOT NULL,
    erased_at     {{timestamp}},
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX formation_inscriptions_formation ON formation_inscriptions (formation_id, statut, id);
CREATE INDEX formation_inscriptions_ecole ON formation_inscriptions (uai, formation_id);

-- One answer to the evaluation questionnaire of a session (anonymous).
CREATE TABLE formation_evaluations (
    id            {{id}},
    formation_id  BIGINT NOT NULL REFERENCES formations (id),
    satisfaction  INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    utilite       INTEGER NOT NULL CHECK (utilite BETWEEN 1 AND 5),
    usage_classe  TEXT NOT NULL CHECK (usage_classe IN ('oui', 'non', 'peut_etre')),
    commentaire   TEXT NOT NULL DEFAULT '',
    created_by    BIGINT REFERENCES users (id),
    created_at    {{timestamp}} NOT NULL
);
CREATE INDEX formation_evaluations_formation ON formation_evaluations (formation_id, id);
