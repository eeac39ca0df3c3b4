package corpus

// French pairs the English templates of this package's user-facing
// messages, the reasons a document or a criteria file is refused or warned about
// (Problem.Reason, Warning) and the errors of Import, with their
// French. {} stands for a value (a file, a number, a quoted name); the
// longer and more specific templates come first, as they are applied in
// this order. The English template is the message's code: the package
// writes its messages in English only, and the command line, which knows
// the user's language, translates them with this catalogue (internal/cli,
// localize.go). A message added here without its French fails the command
// line's TestLibraryMessagesHaveFrench.
var French = [][2]string{
	// Documents.
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
	// Pdf.
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
	// Criteria.
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
	{"criterion #{}: each keyword must be text", "critère n° {} : chaque mot-clé doit être du texte"},
	{"criterion #{}: {} must be text", "critère n° {} : {} doit être du texte"},
	{"criterion #{}: ", "critère n° {} : "},
	{`heading {} has no id: write "## ID — Title"`, "le titre {} n'a pas d'identifiant : écrivez « ## ID — Titre »"},
	{"header {} lacks the id and title columns: the first row must be id,title,description", "l'en-tête {} n'a pas les colonnes id et title : la première ligne doit être id,title,description"},
	{"invalid CSV: ", "CSV invalide : "},
	{"invalid YAML: ", "YAML invalide : "},
	{"invalid JSON: ", "JSON invalide : "},
	{`no "criteria" key: `, "pas de clé « criteria » : "},
	{"not a list of criteria: ", "pas une liste de critères : "},
}
