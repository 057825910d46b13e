-- The écoles by status, in the order of the list (name, UAI): the list filtered by status
-- (public or private) counts them and reads a page from this index alone, where it read the
-- whole table to count them and looked up every école before the page to check its status
-- (/ecoles?statut=public&page=50: 7 ms of SQL at national scale, 2 ms with it). The status
-- of an école seldom changes: an import that updates pupils and classes does not touch it.
CREATE INDEX ecoles_statut_nom ON ecoles (statut, nom_recherche, uai);

ANALYZE ecoles;
