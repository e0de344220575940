extension String {
    /// The string with every character that `replacements` names replaced by its text (the escaping of DOT
    /// labels, Mermaid labels and Markdown link targets differ only in that table).
    func replacingCharacters(_ replacements: [Character: String]) -> String {
        var out = ""
        for character in self {
            if let replacement = replacements[character] { out += replacement } else { out.append(character) }
        }
        return out
    }
}
