"""A small self-check quiz: multiple-choice questions with feedback on every answer.

In JupyterLab, displaying a :class:`Quiz` shows one block per question (radio buttons, a
"Check" button and the feedback). Nothing waits for input, so a notebook that displays a quiz
still runs top to bottom unattended. Without widgets, ``quiz.answer(question, option)`` prints
the same feedback, and ``print(quiz)`` lists the questions.

    quiz = Quiz([Question("2 + 2?", ("3", "4"), answer=1, why=("Off by one.", "Yes."))])
    quiz            # the widgets
    quiz.answer(0, 1)
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Question", "Quiz"]


@dataclass(frozen=True)
class Question:
    """One question: ``options`` to choose from, the index of the right one, and for each option
    the feedback (``why``) shown when it is chosen."""

    prompt: str
    options: tuple[str, ...]
    answer: int
    why: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.options) < 2:
            raise ValueError("a question needs at least two options")
        if len(self.why) != len(self.options):
            raise ValueError("give one feedback text (why) per option")
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer must index an option, got {self.answer}")

    def feedback(self, choice: int | None) -> str:
        """The text shown for ``choice`` (an option index, or None when nothing is chosen)."""
        if choice is None:
            return "Choose an answer first."
        if not 0 <= choice < len(self.options):
            raise ValueError(f"option {choice} does not exist (0..{len(self.options) - 1})")
        mark = "✅ Right." if choice == self.answer else "❌ Not quite."
        return f"{mark} {self.why[choice]}"


class Quiz:
    """A list of questions, shown as ipywidgets or answered with :meth:`answer`."""

    def __init__(self, questions: Sequence[Question], title: str = "Self-check") -> None:
        if not questions:
            raise ValueError("a quiz needs at least one question")
        self.questions = list(questions)
        self.title = title

    def answer(self, question: int, choice: int) -> str:
        """Feedback for option ``choice`` of question ``question`` (both 0-based), printed and
        returned; the way to take the quiz without widgets."""
        text = self.questions[question].feedback(choice)
        print(text)
        return text

    def __str__(self) -> str:
        lines = [self.title]
        for number, question in enumerate(self.questions):
            lines.append(f"{number}. {question.prompt}")
            lines += [f"   ({i}) {option}" for i, option in enumerate(question.options)]
        lines.append("Run this cell for buttons, or answer with quiz.answer(question, option).")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Quiz {self.title!r}: {len(self.questions)} questions>"

    def widget(self) -> Any:
        """An ipywidgets VBox: for each question, radio buttons, a Check button and feedback."""
        import ipywidgets as widgets

        blocks: list[Any] = [widgets.HTML(f"<h3>{html.escape(self.title)}</h3>")]
        for number, question in enumerate(self.questions):
            choices = widgets.RadioButtons(
                options=[(text, i) for i, text in enumerate(question.options)],
                value=None,
                layout=widgets.Layout(width="max-content"),
            )
            button = widgets.Button(description="Check", button_style="primary")
            feedback = widgets.HTML()

            def on_click(_: Any, question: Question = question, choices: Any = choices,
                         feedback: Any = feedback) -> None:
                feedback.value = html.escape(question.feedback(choices.value))

            button.on_click(on_click)
            blocks += [
                widgets.HTML(f"<b>{number + 1}. {html.escape(question.prompt)}</b>"),
                choices,
                widgets.HBox([button, feedback]),
            ]
        return widgets.VBox(blocks)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The widgets, with the questions as text for a front end without a kernel (a notebook
        just opened shows the ``text/plain``, not the widget tree's repr)."""
        text = str(self)
        try:
            bundle = dict(self.widget()._repr_mimebundle_())
        except ImportError:  # no ipywidgets: text only
            return {"text/plain": text}
        bundle["text/plain"] = text
        return bundle
