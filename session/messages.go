package session

// French pairs the English templates of this package's user-facing
// messages, the errors of NewServer, the key lists and the registry, with their
// French. {} stands for a value (a file, a number, a quoted name); the
// longer and more specific templates come first, as they are applied in
// this order. The English template is the message's code: the package
// writes its messages in English only, and the command line, which knows
// the user's language, translates them with this catalogue (internal/cli,
// localize.go). A message added here without its French fails the command
// line's TestLibraryMessagesHaveFrench.
var French = [][2]string{
	{`read key list {}: {}; give a file in authorized_keys format (one "ssh-ed25519 AAAA... name" a line)`, "lecture de la liste de clés {} : {} ; donnez un fichier au format authorized_keys (une ligne « ssh-ed25519 AAAA... nom » par clé)"},
	{"read key list {}: ", "lecture de la liste de clés {} : "},
	{"{}: line {}: not a public key ({}); copy the line from the person's ~/.ssh/id_ed25519.pub", "{} : ligne {} : pas une clé publique ({}) ; copiez la ligne du fichier ~/.ssh/id_ed25519.pub de la personne"},
	{"session {} is not served here; this server serves {}", "la session {} n'est pas servie ici ; ce serveur sert {}"},
	{"language {} is not available; use fr or en", "la langue {} n'est pas disponible ; choisissez fr ou en"},
	{"host key {}: {}; remove the file (and {}.pub) to create a new one, then tell participants the new fingerprint", "clé d'hôte {} : {} ; effacez le fichier (et {}.pub) pour en créer une nouvelle, puis donnez la nouvelle empreinte aux participants"},
	{"listen on {}: {}; choose another address with --listen", "écoute sur {} : {} ; choisissez une autre adresse avec --listen"},
	{"set up the SSH server: ", "mise en place du serveur SSH : "},
	{"stop the SSH server: ", "arrêt du serveur SSH : "},
}
