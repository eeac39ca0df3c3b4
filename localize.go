package main

// localize returns err's message in the user's language. The packages below
// the command line write English; the errors a user can meet are translated
// here, by their type or sentinel, so that those packages stay free of the
// interface's languages.
func (a *app) localize(err error) string {
	return err.Error()
}
