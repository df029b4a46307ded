"""The interactive questionnaire, independent of any terminal library, in four parts.

- `parsing`: what a person types at a prompt (an answer, a date, a due date) turned into a
  value, or an `InputProblem` saying what to type instead; the keys that work at every prompt.
- `recording`: an answer given, as the record it becomes (what it keeps, what it clears, the
  note to show) and the follow-up questions it calls for.
- `prompts`: what the questionnaire says about a question: how to answer it, its help, and an
  answer in words.
- `starting`: starting or resuming an audit: the checklists, setting types and provision
  offered and what was picked, a fresh answer file, and the checks before resuming one.
- `navigation`: the state machine, `Session`: which question is asked now, back, skip, and
  which follow-up comes next; it parses and records through the modules above.

`run` (cli/run_ui.py) and `serve` (serve/forms.py) both use them, so a typed answer means the
same in the terminal and in the browser.
"""
