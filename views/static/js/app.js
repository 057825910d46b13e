// Pilotage ENT 1D — comportements htmx, sans gestionnaire inline (compatible CSP).
(function () {
  "use strict";
  var htmx = window.htmx;
  if (!htmx) return;
  // 400 et 422 (saisie invalide) : le fragment HTML renvoyé remplace la cible comme un succès.
  // Autres 4xx et 5xx : rien n'est échangé dans la cible ; htmx:responseError prend le relais.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "^(400|422)$", swap: true },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false }
  ];
  var SAISIE = "input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]),textarea";
  function zoneErreur() { return document.getElementById("erreur-requete"); }
  function afficherErreur(html) { var z = zoneErreur(); if (z) htmx.swap(z, html, { swapStyle: "innerHTML" }); }
  function messageGenerique(statut) {
    return '<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w"><p>La requête a échoué' +
      (statut ? " (erreur " + Number(statut) + ")" : "") + ". Veuillez réessayer.</p></div>";
  }
  // Après un échange : focus sur la légende (caption) du tableau mis à jour, pour les lecteurs d'écran,
  // sauf pendant une saisie dans un champ texte (filtre « à la frappe »).
  document.addEventListener("htmx:afterSwap", function (evt) {
    var zone = evt.target, actif = document.activeElement;
    if (!(zone instanceof Element) || zone === zoneErreur()) return;
    var caption = (zone.closest("table") || zone).querySelector("caption");
    if (!caption || (actif && actif.isConnected && actif.matches(SAISIE))) return;
    caption.setAttribute("tabindex", "-1");
    caption.focus();
  });
  document.addEventListener("htmx:beforeRequest", function () { var z = zoneErreur(); if (z) z.replaceChildren(); });
  // Erreur non échangée : fragment HTML d'erreur du serveur dans #erreur-requete, sinon message générique.
  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr, type = xhr.getResponseHeader("Content-Type") || "";
    afficherErreur(type.indexOf("text/html") === 0 && xhr.responseText ? xhr.responseText : messageGenerique(xhr.status));
  });
  document.addEventListener("htmx:sendError", function () { afficherErreur(messageGenerique(0)); });
})();
