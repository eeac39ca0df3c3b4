package propose

// French pairs the English templates of this package's user-facing
// messages, the errors of Run and Estimate and the energy formula of a run's
// summary, with their
// French. {} stands for a value (a file, a number, a quoted name); the
// longer and more specific templates come first, as they are applied in
// this order. The English template is the message's code: the package
// writes its messages in English only, and the command line, which knows
// the user's language, translates them with this catalogue (internal/cli,
// localize.go). A message added here without its French fails the command
// line's TestLibraryMessagesHaveFrench.
var French = [][2]string{
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
	{"keywords given for criterion {}, which session {} does not have: check the criterion's ID", "mots-clés donnés pour le critère {}, que la séance {} n'a pas : vérifiez l'ID du critère"},
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
	{"Ollama's answer ended without its final message", "la réponse d'Ollama s'est arrêtée sans son dernier message"},
	{"Ollama stopped the answer before its end, without its final message (it does so when the same token comes more than 30 times in a row)", "Ollama a arrêté la réponse avant sa fin, sans son dernier message (il le fait quand le même token revient plus de 30 fois de suite)"},
}
