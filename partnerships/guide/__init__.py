"""The partnership guide (one chapter of turnkey approach per partnership type) and the
roadmap (streams and their milestones): models, safe Markdown, pages and the PDF."""
