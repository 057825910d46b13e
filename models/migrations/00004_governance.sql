-- Governance: steering bodies and their members, meetings with agenda, invitees and
-- minutes, decisions and the territories they concern, actions; the charter's versions,
-- sections and adoptions. A body's scope is the académie (departement_code NULL) or one
-- département; meetings, decisions and actions are scoped through their body.

CREATE TABLE instances (
    id                {{id}},
    nom               TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('copil_academique', 'copilotage_departemental', 'gt_technique',
                                                     'gt_fonctionnel', 'groupe_elus')),
    departement_code  TEXT REFERENCES departements (code),
    mandat            TEXT NOT NULL DEFAULT '',
    calendar_token    TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX instances_departement ON instances (departement_code, nom);

CREATE TABLE instance_membres (
    id           {{id}},
    instance_id  BIGINT NOT NULL REFERENCES instances (id),
    contact_id   BIGINT NOT NULL REFERENCES contacts (id),
    role         TEXT NOT NULL CHECK (role IN ('president', 'co_president', 'membre', 'secretariat', 'invite_permanent')),
    debut        DATE,
    fin          DATE,
    created_at   {{timestamp}} NOT NULL,
    updated_at   {{timestamp}} NOT NULL,
    archived_at  {{timestamp}},
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX instance_membres_instance ON instance_membres (instance_id);
CREATE INDEX instance_membres_contact ON instance_membres (contact_id);

CREATE TABLE reunions (
    id           {{id}},
    instance_id  BIGINT NOT NULL REFERENCES instances (id),
    titre        TEXT NOT NULL DEFAULT '',
    debut        {{timestamp}} NOT NULL,
    fin          {{timestamp}} NOT NULL,
    lieu         TEXT NOT NULL DEFAULT '',
    visio        TEXT NOT NULL DEFAULT '',
    statut       TEXT NOT NULL DEFAULT 'planifiee' CHECK (statut IN ('planifiee', 'tenue', 'reportee', 'annulee')),
    compte_rendu TEXT NOT NULL DEFAULT '',
    sequence     INTEGER NOT NULL DEFAULT 0,
    created_at   {{timestamp}} NOT NULL,
    updated_at   {{timestamp}} NOT NULL,
    archived_at  {{timestamp}},
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reunions_instance ON reunions (instance_id, debut);
CREATE INDEX reunions_debut ON reunions (debut);

CREATE TABLE reunion_points (
    id          {{id}},
    reunion_id  BIGINT NOT NULL REFERENCES reunions (id),
    position    INTEGER NOT NULL,
    titre       TEXT NOT NULL,
    presentateur TEXT NOT NULL DEFAULT '',
    duree_min   INTEGER,
    created_at  {{timestamp}} NOT NULL,
    updated_at  {{timestamp}} NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reunion_points_reunion ON reunion_points (reunion_id, position);

CREATE TABLE reunion_invites (
    reunion_id  BIGINT NOT NULL REFERENCES reunions (id),
    contact_id  BIGINT NOT NULL REFERENCES contacts (id),
    presence    TEXT NOT NULL DEFAULT 'invite' CHECK (presence IN ('invite', 'present', 'excuse', 'absent')),
    PRIMARY KEY (reunion_id, contact_id)
);

CREATE TABLE decisions (
    id          {{id}},
    reunion_id  BIGINT NOT NULL REFERENCES reunions (id),
    texte       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('arbitrage', 'orientation', 'validation', 'information')),
    created_at  {{timestamp}} NOT NULL,
    updated_at  {{timestamp}} NOT NULL,
    archived_at {{timestamp}},
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX decisions_reunion ON decisions (reunion_id);

CREATE TABLE decision_territoires (
    decision_id       BIGINT NOT NULL REFERENCES decisions (id),
    niveau            TEXT NOT NULL CHECK (niveau IN ('academie', 'departement', 'commune')),
    code              TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (decision_id, niveau, code)
);

CREATE TABLE actions (
    id                 {{id}},
    reunion_id         BIGINT REFERENCES reunions (id),
    decision_id        BIGINT REFERENCES decisions (id),
    titre              TEXT NOT NULL,
    responsable_contact BIGINT REFERENCES contacts (id),
    responsable_user   BIGINT REFERENCES users (id),
    echeance           DATE,
    statut             TEXT NOT NULL DEFAULT 'a_faire' CHECK (statut IN ('a_faire', 'en_cours', 'faite', 'abandonnee')),
    created_at         {{timestamp}} NOT NULL,
    updated_at         {{timestamp}} NOT NULL,
    archived_at        {{timestamp}},
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX actions_reunion ON actions (reunion_id);
CREATE INDEX actions_decision ON actions (decision_id);
CREATE INDEX actions_user ON actions (responsable_user, statut);
CREATE INDEX actions_echeance ON actions (statut, echeance);

CREATE TABLE charte_versions (
    id          {{id}},
    numero      TEXT NOT NULL,
    date_version DATE NOT NULL,
    statut      TEXT NOT NULL CHECK (statut IN ('projet', 'adoptee', 'remplacee')),
    created_at  {{timestamp}} NOT NULL,
    updated_at  {{timestamp}} NOT NULL,
    archived_at {{timestamp}},
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX charte_versions_numero_live ON charte_versions (numero) WHERE archived_at IS NULL;

CREATE TABLE charte_sections (
    id                {{id}},
    charte_version_id BIGINT NOT NULL REFERENCES charte_versions (id),
    cle               TEXT NOT NULL CHECK (cle IN ('donnees_personnelles', 'identification', 'securite', 'interoperabilite', 'perimetres')),
    titre             TEXT NOT NULL,
    texte             TEXT NOT NULL DEFAULT '',
    UNIQUE (charte_version_id, cle)
);

CREATE TABLE adoptions (
    id                 {{id}},
    charte_version_id  BIGINT NOT NULL REFERENCES charte_versions (id),
    code_insee         TEXT REFERENCES communes (code_insee),
    epci_siren         TEXT REFERENCES epci (siren),
    couvre_membres     BOOLEAN NOT NULL DEFAULT FALSE,
    deliberation_ref   TEXT NOT NULL DEFAULT '',
    deliberation_date  DATE NOT NULL,
    created_at         {{timestamp}} NOT NULL,
    updated_at         {{timestamp}} NOT NULL,
    archived_at        {{timestamp}},
    version            INTEGER NOT NULL DEFAULT 1,
    CHECK ((code_insee IS NULL) <> (epci_siren IS NULL))
);
CREATE INDEX adoptions_version ON adoptions (charte_version_id);
CREATE INDEX adoptions_commune ON adoptions (code_insee);
CREATE INDEX adoptions_epci ON adoptions (epci_siren);
