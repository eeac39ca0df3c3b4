package cli

// This file holds the translation of other packages' messages, at the
// command line's boundary.

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// localize returns err's message in the user's language. The packages below
// the command line (corpus, store, propose, session) write their errors in
// English, each one sentence that names the input and says what to do; the
// command line translates them here, at its boundary, so that those
// packages stay free of the interface's languages. The catalogue below is
// matched piece by piece, because messages nest ("open store X: mkdir X:
// permission denied"); a piece it does not know stays in English.
// TestLibraryMessagesHaveFrench walks those packages' messages and fails on
// one the catalogue misses.
func (a *app) localize(err error) string { return a.localizeText(err.Error()) }

// localizeText is localize for a library's text that is not an error,
// such as the formula of an energy estimate recorded in the trace.
func (a *app) localizeText(s string) string {
	if a.lang != "fr" {
		return s
	}
	return toFrench(s)
}

// toFrench translates every known piece of an English message.
func toFrench(s string) string {
	for _, e := range french() {
		s = e.re.ReplaceAllString(s, e.fr)
	}
	return s
}

// frenchEntry is one piece of the catalogue: an English template in which
// {} stands for a value (a file, a number, a quoted name), and its French.
type frenchEntry struct {
	en, fr string
	re     *regexp.Regexp
}

// frenchCatalogue pairs English pieces with their French, the longer and
// more specific first: they are applied in this order.
var frenchCatalogue = [][2]string{
	// corpus: documents.
	{"permission denied: check the file's rights", "accès refusé : vérifiez les droits du fichier"},
	{"file type not read (no extension): use .pdf, .md, .markdown, .txt, .html or .htm", "type de fichier non lu (pas d'extension) : utilisez .pdf, .md, .markdown, .txt, .html ou .htm"},
	{"criteria file type {} not read: use .md, .csv, .yaml or .json", "type de fichier de critères {} non lu : utilisez .md, .csv, .yaml ou .json"},
	{"file type {} not read: convert it to PDF, Markdown, text or HTML", "type de fichier {} non lu : convertissez-le en PDF, Markdown, texte ou HTML"},
	{"is a directory, not a file", "est un dossier, pas un fichier"},
	{"is a directory: give the criteria file", "est un dossier : donnez le fichier des critères"},
	{"not a regular file", "n'est pas un fichier ordinaire"},
	{"file of {} MiB, more than the {} MiB a document may have: is it really a document?", "fichier de {} Mio, plus que les {} Mio permis pour un document : est-ce bien un document ?"},
	{"file of {} KiB, too large for a criteria list: is it the right file?", "fichier de {} Kio, trop grand pour une liste de critères : est-ce le bon fichier ?"},
	{`empty file: write one criterion per "## ID — Title" heading`, "fichier vide : écrivez un critère par titre « ## ID — Titre »"},
	{"empty file", "fichier vide"},
	{"no text in its {} page(s): a scanned PDF? run OCR first (for example: ocrmypdf in.pdf out.pdf)", "aucun texte dans ses {} page(s) : un PDF scanné ? passez-le d'abord à l'OCR (par exemple : ocrmypdf in.pdf out.pdf)"},
	{"binary data, not text: is it another kind of file renamed ", "données binaires, pas du texte : est-ce un autre type de fichier renommé en "},
	{"no text (only white space or markup)", "aucun texte (seulement des espaces ou du balisage)"},
	{"same content as ", "même contenu que "},
	{", imported once", ", importé une seule fois"},
	{"not UTF-8, some characters replaced", "pas en UTF-8, des caractères ont été remplacés"},
	{"not UTF-8, read as Windows-1252: check the accents", "pas en UTF-8, lu comme du Windows-1252 : vérifiez les accents"},
	{"cannot read: ", "lecture impossible : "},
	// corpus: PDF.
	{"not a valid PDF (no %PDF header): is it another kind of file renamed .pdf?", "pas un PDF valide (pas d'en-tête %PDF) : est-ce un autre type de fichier renommé en .pdf ?"},
	{"the PDF reader (PDFium) could not start: ", "le lecteur de PDF (PDFium) n'a pas pu démarrer : "},
	{"the PDF reader is busy or stopped: ", "le lecteur de PDF est occupé ou arrêté : "},
	{"the PDF reader failed on this file ({})", "le lecteur de PDF a échoué sur ce fichier ({})"},
	{"one page took longer than {} to read: the PDF may be damaged; try printing it to a new PDF", "une page a pris plus de {} à lire : le PDF est peut-être abîmé ; essayez de l'imprimer dans un nouveau PDF"},
	{"reading took longer than {}: the PDF may be damaged; try printing it to a new PDF", "la lecture a pris plus de {} : le PDF est peut-être abîmé ; essayez de l'imprimer dans un nouveau PDF"},
	{"not a valid PDF: cannot count its pages ({})", "pas un PDF valide : impossible de compter ses pages ({})"},
	{"page {} cannot be read: ", "la page {} est illisible : "},
	{"encrypted PDF, remove the password first (for example: qpdf --decrypt --password=PASSWORD in.pdf out.pdf)", "PDF chiffré : retirez d'abord le mot de passe (par exemple : qpdf --decrypt --password=MOT-DE-PASSE in.pdf out.pdf)"},
	{"encrypted PDF with an unsupported protection, remove it first (qpdf --decrypt)", "PDF chiffré par une protection non prise en charge : retirez-la d'abord (qpdf --decrypt)"},
	{"not a valid PDF (damaged or truncated?): open it in a PDF viewer and save or print it again", "pas un PDF valide (abîmé ou tronqué ?) : ouvrez-le dans un lecteur de PDF et enregistrez-le ou imprimez-le à nouveau"},
	{"not a valid PDF: PDFium cannot read it", "pas un PDF valide : PDFium ne sait pas le lire"},
	{"not a valid PDF: ", "pas un PDF valide : "},
	{"a PDF without any page: is the file complete? export or download it again", "un PDF sans aucune page : le fichier est-il complet ? exportez-le ou téléchargez-le à nouveau"},
	// corpus: criteria.
	{"no criteria found: ", "aucun critère trouvé : "},
	{"expected a header id,title,description then one row per criterion", "il faut un en-tête id,title,description puis une ligne par critère"},
	{"expected a list of {id, title, description}, or {criteria: [...]}", "il faut une liste de {id, title, description}, ou {criteria: [...]}"},
	{`expected "## ID — Title" headings, each followed by its description`, "il faut des titres « ## ID — Titre », chacun suivi de sa description"},
	{"empty id: every criterion needs a short id such as C1", "identifiant vide : chaque critère a besoin d'un identifiant court comme C1"},
	{"criterion {} has an empty title", "le critère {} a un titre vide"},
	{"duplicate id {}, first used ", "identifiant {} en double, déjà utilisé "},
	{"at line {}", "à la ligne {}"},
	{"as criterion #{}", "par le critère n° {}"},
	{"criterion #{} is not an object with id, title and description", "le critère n° {} n'est pas un objet avec id, title et description"},
	{"criterion #{}: {} must be text", "critère n° {} : {} doit être du texte"},
	{"criterion #{}: ", "critère n° {} : "},
	{`heading {} has no id: write "## ID — Title"`, "le titre {} n'a pas d'identifiant : écrivez « ## ID — Titre »"},
	{"header {} lacks the id and title columns: the first row must be id,title,description", "l'en-tête {} n'a pas les colonnes id et title : la première ligne doit être id,title,description"},
	{"invalid CSV: ", "CSV invalide : "},
	{"invalid YAML: ", "YAML invalide : "},
	{"invalid JSON: ", "JSON invalide : "},
	{`no "criteria" key: `, "pas de clé « criteria » : "},
	{"not a list of criteria: ", "pas une liste de critères : "},
	// store.
	{"open store {}: create its directory: ", "ouverture de la trace {} : création de son dossier : "},
	{"open store {}: ", "ouverture de la trace {} : "},
	{"cannot open the store {} for writing ({}): check that it and its directory belong to you and are writable", "impossible d'ouvrir la trace {} en écriture ({}) : vérifiez qu'elle et son dossier vous appartiennent et sont modifiables"},
	{"the store {} stayed locked by another process for {} ({}): wait for that revue command to finish, then try again", "la trace {} est restée verrouillée par un autre processus pendant {} ({}) : attendez que cette commande revue finisse, puis réessayez"},
	{"{} is not a Revue store or is damaged ({}): move it aside with its -wal and -shm files, then put your last backup copy in its place or start afresh without it", "{} n'est pas une trace de Revue ou est abîmé ({}) : déplacez-le avec ses fichiers -wal et -shm, puis mettez à sa place votre dernière copie de sauvegarde, ou repartez sans lui"},
	{"cannot put the store {} in WAL mode (journal mode {}, {}): check that the file is on a local disk", "impossible de mettre la trace {} en mode WAL (mode de journal {}, {}) : vérifiez que le fichier est sur un disque local"},
	{"{} is a SQLite database of another program, not a Revue store: give revue another data directory (--data) or move that file away", "{} est une base SQLite d'un autre programme, pas une trace de Revue : donnez à revue un autre dossier des données (--data) ou déplacez ce fichier"},
	{"{} was written by a newer revue (schema {}, this one knows {}): upgrade revue before opening it", "{} a été écrit par une version plus récente de revue (schéma {}, celle-ci connaît {}) : mettez revue à jour avant de l'ouvrir"},
	{"append to {}: another process kept the store locked for more than {} ({}); try again when it has finished", "écriture dans {} : un autre processus a gardé la trace verrouillée plus de {} ({}) ; réessayez quand il aura fini"},
	{"append to {}: the disk is full ({}); free some space and try again", "écriture dans {} : le disque est plein ({}) ; libérez de la place et réessayez"},
	{"append to {}: ", "écriture dans {} : "},
	{"close store {}: ", "fermeture de la trace {} : "},
	{"list sessions of {}: ", "liste des sessions de {} : "},
	{"replay session {} from {}: ", "relecture de la session {} depuis {} : "},
	{"store is closed", "la trace est fermée"},
	{"no such session", "pas de session"},
	{"session already exists", "la session existe déjà"},
	{"replay from {}: ", "relecture depuis {} : "},
	{"(see `revue sessions` for the list)", "(`revue sessions` les liste)"},
	{"back up {} to {}: create its directory: ", "copie de {} vers {} : création de son dossier : "},
	{"back up {}: {} already exists; choose a new file name or move the old copy away", "copie de {} : {} existe déjà ; choisissez un autre nom de fichier ou déplacez l'ancienne copie"},
	{"back up {} to {}: ", "copie de {} vers {} : "},
	// propose.
	{"Ollama is not reachable at {}: start it with `ollama serve` (or point OLLAMA_HOST or --ollama at it), or add --frugal to propose without a model", "Ollama ne répond pas à {} : lancez-le avec `ollama serve` (ou indiquez son adresse par OLLAMA_HOST ou --ollama), ou ajoutez --frugal pour proposer sans modèle"},
	{"model {} is not pulled on the Ollama at {}: run `ollama pull {}` there, then run revue propose again", "le modèle {} n'est pas téléchargé sur l'Ollama de {} : lancez-y `ollama pull {}`, puis relancez revue propose"},
	{"model {} differs between the Ollama at {} (digest {}) and at {} (digest {}): run `ollama pull {}` on both so that they judge alike", "le modèle {} diffère entre l'Ollama de {} (empreinte {}) et celui de {} (empreinte {}) : lancez `ollama pull {}` sur les deux pour qu'ils jugent pareil"},
	{"the Ollama at {} answered {} with {}: check its log (journalctl -u ollama or the terminal of `ollama serve`)", "l'Ollama de {} a répondu à {} par {} : regardez son journal (journalctl -u ollama ou le terminal de `ollama serve`)"},
	{"the Ollama at {} refused the request for model {} ({}): check that this Ollama supports structured output (0.5 or later) and see its log", "l'Ollama de {} a refusé la requête pour le modèle {} ({}) : vérifiez qu'il sait produire une sortie structurée (0.5 ou plus récent) et regardez son journal"},
	{"the Ollama at {} returned {} embeddings for {} texts with model {}: check its version and log", "l'Ollama de {} a rendu {} embeddings pour {} textes avec le modèle {} : vérifiez sa version et son journal"},
	{"embedding with {} on the Ollama at {} failed: {}; run again later, or without --embed-model", "le calcul des embeddings avec {} sur l'Ollama de {} a échoué : {} ; relancez plus tard, ou sans --embed-model"},
	{"minimum {} passages per criterion: give a positive number", "minimum de {} passages par critère : donnez un nombre positif"},
	{"budget share {}: give a share of the best score between 0 and 1 (0 = fixed budget)", "part du budget {} : donnez une part du meilleur score entre 0 et 1 (0 = budget fixe)"},
	{`--negatives {}: give how many "no link" answers to show the group, 0 or more`, "--negatives {} : donnez combien de réponses « pas de lien » montrer au groupe, 0 ou plus"},
	{"answer cut after {} tokens by num_predict {} (done_reason length)", "réponse coupée après {} tokens par num_predict {} (done_reason length)"},
	{"--per-criterion {}: give a positive number of passages per criterion", "--per-criterion {} : donnez un nombre positif de passages par critère"},
	{"--parallel {}: give a positive number of concurrent calls per Ollama host", "--parallel {} : donnez un nombre positif d'appels simultanés par machine Ollama"},
	{"num_ctx {}: the prompt alone needs about 1,000 tokens; use 4096 or more", "num_ctx {} : le prompt seul demande environ 1 000 tokens ; utilisez 4096 ou plus"},
	{"power {} W: give the machine's draw in watts, a positive number", "puissance {} W : donnez la consommation de la machine en watts, un nombre positif"},
	{"language {}: use fr or en", "langue {} : choisissez fr ou en"},
	{"Ollama address {}: use http://HOST:PORT", "adresse d'Ollama {} : écrivez http://MACHINE:PORT"},
	{"Ollama address {}: ", "adresse d'Ollama {} : "},
	{"session {} has no criteria: create it with `revue init {} --criteria FILE DOCS`", "la session {} n'a pas de critère : créez-la avec `revue init {} --criteria FICHIER DOCUMENTS`"},
	{"session {} has no passages: its documents are empty; import documents with text", "la session {} n'a pas de passage : ses documents sont vides ; importez des documents avec du texte"},
	{"embedding cache {} is not a Revue cache: delete it and run again", "le cache des embeddings {} n'est pas un cache de Revue : effacez-le et relancez"},
	{"embedding cache {}: ", "cache des embeddings {} : "},
	{"embedding cache: ", "cache des embeddings : "},
	{"saving the run's summary: ", "enregistrement du bilan du passage : "},
	{"saving proposals: ", "enregistrement des propositions : "},
	{"answer cut after {} tokens (done_reason length)", "réponse coupée après {} tokens (done_reason length)"},
	{"stop reading rows", "lecture des lignes arrêtée"},
	{"{} W × {} machine(s) × wall time (h)", "{} W × {} machine(s) × durée (h)"},
	{"Ollama's answer ended without its final message", "la réponse d'Ollama s'est arrêtée sans son dernier message"},
	{"Ollama stopped the answer before its end, without its final message (it does so when the same token comes more than 30 times in a row)", "Ollama a arrêté la réponse avant sa fin, sans son dernier message (il le fait quand le même token revient plus de 30 fois de suite)"},
	// session.
	{`read key list {}: {}; give a file in authorized_keys format (one "ssh-ed25519 AAAA... name" a line)`, "lecture de la liste de clés {} : {} ; donnez un fichier au format authorized_keys (une ligne « ssh-ed25519 AAAA... nom » par clé)"},
	{"read key list {}: ", "lecture de la liste de clés {} : "},
	{"{}: line {}: not a public key ({}); copy the line from the person's ~/.ssh/id_ed25519.pub", "{} : ligne {} : pas une clé publique ({}) ; copiez la ligne du fichier ~/.ssh/id_ed25519.pub de la personne"},
	{"session {} is not served here; this server serves {}", "la session {} n'est pas servie ici ; ce serveur sert {}"},
	{"language {} is not available; use fr or en", "la langue {} n'est pas disponible ; choisissez fr ou en"},
	{"host key {}: {}; remove the file (and {}.pub) to create a new one, then tell participants the new fingerprint", "clé d'hôte {} : {} ; effacez le fichier (et {}.pub) pour en créer une nouvelle, puis donnez la nouvelle empreinte aux participants"},
	{"listen on {}: {}; choose another address with --listen", "écoute sur {} : {} ; choisissez une autre adresse avec --listen"},
	{"set up the SSH server: ", "mise en place du serveur SSH : "},
	{"stop the SSH server: ", "arrêt du serveur SSH : "},
	// The system's own words, at the end of a message.
	{"no such file or directory", "fichier ou dossier introuvable"},
	{"permission denied", "accès refusé"},
	{"not a directory", "n'est pas un dossier"},
	{"is a directory", "est un dossier"},
	{"file exists", "le fichier existe déjà"},
	{"read-only file system", "système de fichiers en lecture seule"},
	{"no space left on device", "plus de place sur le disque"},
	{"address already in use", "adresse déjà utilisée"},
	{"cannot assign requested address", "cette adresse n'est pas celle de cette machine"},
	{"connection refused", "connexion refusée"},
}

// french compiles the catalogue once: {} becomes a group, lazy inside a
// template and greedy at its end, and the French names the groups in order.
var french = sync.OnceValue(func() []frenchEntry {
	out := make([]frenchEntry, 0, len(frenchCatalogue))
	for _, pair := range frenchCatalogue {
		parts := strings.Split(pair[0], "{}")
		var re strings.Builder
		for i, p := range parts {
			re.WriteString(regexp.QuoteMeta(p))
			if i < len(parts)-1 {
				if i == len(parts)-2 && parts[len(parts)-1] == "" {
					re.WriteString("(.+)")
				} else {
					re.WriteString("(.+?)")
				}
			}
		}
		frParts := strings.Split(strings.ReplaceAll(pair[1], "$", "$$"), "{}")
		var fr strings.Builder
		for i, p := range frParts {
			fr.WriteString(p)
			if i < len(frParts)-1 {
				fmt.Fprintf(&fr, "${%d}", i+1)
			}
		}
		out = append(out, frenchEntry{en: pair[0], fr: fr.String(), re: regexp.MustCompile(re.String())})
	}
	return out
})
