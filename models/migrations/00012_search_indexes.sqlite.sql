-- Substring search through trigram indexes, SQLite side: one FTS5 table per searched table,
-- with the trigram tokenizer (a phrase of trigrams is exactly a substring: MATCH finds what
-- LIKE '%term%' finds, through an index). The FTS5 tables hold no copy of the text (external
-- content: they read it from their table by rowid) and are kept in sync by triggers; an
-- update that leaves the searched columns as they were does not touch them.
--
-- The tables keyed by a TEXT primary key (communes, ecoles, epci) have an implicit rowid:
-- SQLite keeps it through VACUUM and VACUUM INTO for a table with an index, as all of them
-- have (their primary key).

-- statement
CREATE VIRTUAL TABLE communes_recherche USING fts5(nom_recherche, code_insee, codes_postaux, content='communes', content_rowid='rowid', tokenize='trigram');
-- statement
CREATE TRIGGER communes_recherche_insert AFTER INSERT ON communes BEGIN
    INSERT INTO communes_recherche (rowid, nom_recherche, code_insee, codes_postaux) VALUES (new.rowid, new.nom_recherche, new.code_insee, new.codes_postaux);
END;
-- statement
CREATE TRIGGER communes_recherche_delete AFTER DELETE ON communes BEGIN
    INSERT INTO communes_recherche (communes_recherche, rowid, nom_recherche, code_insee, codes_postaux) VALUES ('delete', old.rowid, old.nom_recherche, old.code_insee, old.codes_postaux);
END;
-- statement
CREATE TRIGGER communes_recherche_update AFTER UPDATE OF nom_recherche, code_insee, codes_postaux ON communes
WHEN old.nom_recherche IS NOT new.nom_recherche OR old.code_insee IS NOT new.code_insee OR old.codes_postaux IS NOT new.codes_postaux BEGIN
    INSERT INTO communes_recherche (communes_recherche, rowid, nom_recherche, code_insee, codes_postaux) VALUES ('delete', old.rowid, old.nom_recherche, old.code_insee, old.codes_postaux);
    INSERT INTO communes_recherche (rowid, nom_recherche, code_insee, codes_postaux) VALUES (new.rowid, new.nom_recherche, new.code_insee, new.codes_postaux);
END;
-- statement
INSERT INTO communes_recherche (communes_recherche) VALUES ('rebuild');

-- statement
CREATE VIRTUAL TABLE ecoles_recherche USING fts5(nom_recherche, uai, content='ecoles', content_rowid='rowid', tokenize='trigram');
-- statement
CREATE TRIGGER ecoles_recherche_insert AFTER INSERT ON ecoles BEGIN
    INSERT INTO ecoles_recherche (rowid, nom_recherche, uai) VALUES (new.rowid, new.nom_recherche, new.uai);
END;
-- statement
CREATE TRIGGER ecoles_recherche_delete AFTER DELETE ON ecoles BEGIN
    INSERT INTO ecoles_recherche (ecoles_recherche, rowid, nom_recherche, uai) VALUES ('delete', old.rowid, old.nom_recherche, old.uai);
END;
-- statement
CREATE TRIGGER ecoles_recherche_update AFTER UPDATE OF nom_recherche, uai ON ecoles
WHEN old.nom_recherche IS NOT new.nom_recherche OR old.uai IS NOT new.uai BEGIN
    INSERT INTO ecoles_recherche (ecoles_recherche, rowid, nom_recherche, uai) VALUES ('delete', old.rowid, old.nom_recherche, old.uai);
    INSERT INTO ecoles_recherche (rowid, nom_recherche, uai) VALUES (new.rowid, new.nom_recherche, new.uai);
END;
-- statement
INSERT INTO ecoles_recherche (ecoles_recherche) VALUES ('rebuild');

-- statement
CREATE VIRTUAL TABLE epci_recherche USING fts5(nom_recherche, siren, content='epci', content_rowid='rowid', tokenize='trigram');
-- statement
CREATE TRIGGER epci_recherche_insert AFTER INSERT ON epci BEGIN
    INSERT INTO epci_recherche (rowid, nom_recherche, siren) VALUES (new.rowid, new.nom_recherche, new.siren);
END;
-- statement
CREATE TRIGGER epci_recherche_delete AFTER DELETE ON epci BEGIN
    INSERT INTO epci_recherche (epci_recherche, rowid, nom_recherche, siren) VALUES ('delete', old.rowid, old.nom_recherche, old.siren);
END;
-- statement
CREATE TRIGGER epci_recherche_update AFTER UPDATE OF nom_recherche, siren ON epci
WHEN old.nom_recherche IS NOT new.nom_recherche OR old.siren IS NOT new.siren BEGIN
    INSERT INTO epci_recherche (epci_recherche, rowid, nom_recherche, siren) VALUES ('delete', old.rowid, old.nom_recherche, old.siren);
    INSERT INTO epci_recherche (rowid, nom_recherche, siren) VALUES (new.rowid, new.nom_recherche, new.siren);
END;
-- statement
INSERT INTO epci_recherche (epci_recherche) VALUES ('rebuild');

-- statement
CREATE VIRTUAL TABLE organisations_recherche USING fts5(nom_recherche, content='organisations', content_rowid='rowid', tokenize='trigram');
-- statement
CREATE TRIGGER organisations_recherche_insert AFTER INSERT ON organisations BEGIN
    INSERT INTO organisations_recherche (rowid, nom_recherche) VALUES (new.rowid, new.nom_recherche);
END;
-- statement
CREATE TRIGGER organisations_recherche_delete AFTER DELETE ON organisations BEGIN
    INSERT INTO organisations_recherche (organisations_recherche, rowid, nom_recherche) VALUES ('delete', old.rowid, old.nom_recherche);
END;
-- statement
CREATE TRIGGER organisations_recherche_update AFTER UPDATE OF nom_recherche ON organisations
WHEN old.nom_recherche IS NOT new.nom_recherche BEGIN
    INSERT INTO organisations_recherche (organisations_recherche, rowid, nom_recherche) VALUES ('delete', old.rowid, old.nom_recherche);
    INSERT INTO organisations_recherche (rowid, nom_recherche) VALUES (new.rowid, new.nom_recherche);
END;
-- statement
INSERT INTO organisations_recherche (organisations_recherche) VALUES ('rebuild');

-- statement
CREATE VIRTUAL TABLE contacts_recherche USING fts5(nom_recherche, fonction, content='contacts', content_rowid='rowid', tokenize='trigram');
-- statement
CREATE TRIGGER contacts_recherche_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_recherche (rowid, nom_recherche, fonction) VALUES (new.rowid, new.nom_recherche, new.fonction);
END;
-- statement
CREATE TRIGGER contacts_recherche_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_recherche (contacts_recherche, rowid, nom_recherche, fonction) VALUES ('delete', old.rowid, old.nom_recherche, old.fonction);
END;
-- statement
CREATE TRIGGER contacts_recherche_update AFTER UPDATE OF nom_recherche, fonction ON contacts
WHEN old.nom_recherche IS NOT new.nom_recherche OR old.fonction IS NOT new.fonction BEGIN
    INSERT INTO contacts_recherche (contacts_recherche, rowid, nom_recherche, fonction) VALUES ('delete', old.rowid, old.nom_recherche, old.fonction);
    INSERT INTO contacts_recherche (rowid, nom_recherche, fonction) VALUES (new.rowid, new.nom_recherche, new.fonction);
END;
-- statement
INSERT INTO contacts_recherche (contacts_recherche) VALUES ('rebuild');
