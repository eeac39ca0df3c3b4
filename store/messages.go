package store

// French pairs the English templates of this package's user-facing
// messages, the errors of Open, Append, Replay, Sessions and Backup, with their
// French. {} stands for a value (a file, a number, a quoted name); the
// longer and more specific templates come first, as they are applied in
// this order. The English template is the message's code: the package
// writes its messages in English only, and the command line, which knows
// the user's language, translates them with this catalogue (internal/cli,
// localize.go). A message added here without its French fails the command
// line's TestLibraryMessagesHaveFrench.
var French = [][2]string{
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
	{"proposal {} was sealed meanwhile (event {}): ", "la proposition {} a été scellée entre-temps (événement {}) : "},
	{"proposal {} was reopened meanwhile: ", "la proposition {} a été rouverte entre-temps : "},
	{"signing key {}: {}; it must be an unencrypted OpenSSH private key (the server's host key)", "clé de signature {} : {} ; ce doit être une clé privée OpenSSH non chiffrée (la clé d'hôte du serveur)"},
	{"create the signing key {}: ", "création de la clé de signature {} : "},
	{"write the signing key {}: ", "écriture de la clé de signature {} : "},
	{"write the public key {}.pub: ", "écriture de la clé publique {}.pub : "},
	{"read the signing key {}: ", "lecture de la clé de signature {} : "},
	{"sign the head of session {} in {}: ", "signature de la tête de la session {} dans {} : "},
	{"read the names held in {}: ", "lecture des noms attribués dans {} : "},
	{"keep the name {} in {}: ", "enregistrement du nom {} dans {} : "},
	{"sign the head of session {}: ", "signature de la tête de la session {} : "},
	{"record the signed head of session {} in {}: ", "enregistrement de la tête signée de la session {} dans {} : "},
	{"signed heads of session {} in {}: ", "têtes signées de la session {} dans {} : "},
	{"the signed head of seq {} names no readable key ({})", "la tête signée de l'événement {} ne nomme aucune clé lisible ({})"},
	{"the signed head of seq {} has no readable signature ({})", "la tête signée de l'événement {} n'a pas de signature lisible ({})"},
	{"the signature of the head of seq {} does not hold: one of its fields was changed after signing", "la signature de la tête de l'événement {} ne tient pas : un de ses champs a été modifié après la signature"},
	{"the head of seq {} is signed by {}, not by this server's key {}", "la tête de l'événement {} est signée par {}, pas par la clé de ce serveur {}"},
	{"append to {}: ", "écriture dans {} : "},
	{"read the version of {}: ", "lecture de la version de {} : "},
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
}
