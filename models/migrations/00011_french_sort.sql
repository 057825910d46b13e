-- French sort order: communes, écoles and EPCI are listed by their folded name (nom_recherche:
-- lowercase, accents removed), so that "Écouen" sorts among the E's and not after "Z" as it
-- does in byte order. The name indexes move to the folded key, so that a list filtered by
-- département and sorted by name still walks an index.

DROP INDEX communes_departement_nom;
DROP INDEX communes_nom;
DROP INDEX communes_epci;
DROP INDEX communes_ept;
CREATE INDEX communes_departement_nom ON communes (departement_code, nom_recherche, code_insee);
CREATE INDEX communes_nom ON communes (nom_recherche, code_insee);
CREATE INDEX communes_epci ON communes (epci_siren, nom_recherche, code_insee);
CREATE INDEX communes_ept ON communes (ept_siren, nom_recherche, code_insee);

DROP INDEX ecoles_departement_nom;
DROP INDEX ecoles_nom;
DROP INDEX ecoles_commune;
DROP INDEX ecoles_circonscription;
CREATE INDEX ecoles_departement_nom ON ecoles (departement_code, nom_recherche, uai);
CREATE INDEX ecoles_nom ON ecoles (nom_recherche, uai);
CREATE INDEX ecoles_commune ON ecoles (code_insee, nom_recherche, uai);
CREATE INDEX ecoles_circonscription ON ecoles (code_circonscription, nom_recherche, uai);

CREATE INDEX epci_nom ON epci (nom_recherche, siren);
