package review

// negative is a stand-in until the lead's Proposal.Negative lands on main.
func (p *ProposalState) negative() bool { return false }
