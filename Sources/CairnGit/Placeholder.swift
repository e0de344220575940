enum CairnGitPlaceholder {}
