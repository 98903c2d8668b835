"""How the Learn tab is laid out: the categories, the article list and search on the
left, the reader, its toolbar and the notes on the right, built onto the ``LearnTab``
it is given. Moved out of the tab, which keeps loading, searching and reacting."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.ui.desktop import shortcut_text
from caregiver_app.ui.learn.delegate import RichTextDelegate
from caregiver_app.ui.learn.models import (
    ArticleFilterProxy,
    ArticleListModel,
    CategoryListModel,
    SearchResultsModel,
)
from caregiver_app.ui.learn.reader import (
    CARE_TEAM_LINE,
    ArticleBrowser,
)

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from caregiver_app.ui.learn.tab import LearnTab


def build(tab: LearnTab) -> None:
    # Left: search, categories, articles (or search results).
    tab.search_box = QLineEdit()
    tab.search_box.setPlaceholderText(f"Search the articles ({shortcut_text('Ctrl+F')})")
    tab.search_box.setAccessibleName("Search the articles")
    tab.search_box.setClearButtonEnabled(True)
    tab.search_box.textChanged.connect(tab.article_search.on_text)
    tab.search_status = QLabel()
    tab.search_status.setWordWrap(True)
    tab.search_status.setTextFormat(Qt.TextFormat.PlainText)
    tab.search_status.setAccessibleName("Search results")
    tab.search_status.hide()
    tab.suggestion_button = QPushButton()
    tab.suggestion_button.setAccessibleName("Search for the suggested spelling")
    tab.suggestion_button.clicked.connect(tab.accept_suggestion)
    tab.suggestion_button.hide()

    tab.category_model = CategoryListModel(tab)
    tab.category_view = QListView()
    tab.category_view.setModel(tab.category_model)
    tab.category_view.setAccessibleName("Categories")
    tab.category_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tab.category_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tab.category_view.selectionModel().currentChanged.connect(tab._on_category_changed)

    tab.article_model = ArticleListModel(tab)
    tab.article_proxy = ArticleFilterProxy(tab)
    tab.article_proxy.setSourceModel(tab.article_model)
    tab.article_view = rich_list(tab, "Articles", tab.article_proxy)
    tab.article_view.selectionModel().currentChanged.connect(tab._on_list_current)
    tab.article_view.activated.connect(tab._on_list_activated)

    tab.results_model = SearchResultsModel(tab)
    tab.results_view = rich_list(tab, "Search results", tab.results_model)
    tab.results_view.selectionModel().currentChanged.connect(tab._on_list_current)
    tab.results_view.activated.connect(tab._on_list_activated)

    browse = QWidget()
    browse_layout = QVBoxLayout(browse)
    browse_layout.setContentsMargins(0, 0, 0, 0)
    browse_layout.addWidget(tab.category_view)
    browse_layout.addWidget(tab.article_view, 1)
    tab.left_stack = QStackedWidget()
    tab.left_stack.addWidget(browse)
    tab.left_stack.addWidget(tab.results_view)

    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 4, 0)
    left_layout.addWidget(tab.search_box)
    left_layout.addWidget(tab.search_status)
    left_layout.addWidget(tab.suggestion_button, 0, Qt.AlignmentFlag.AlignLeft)
    left_layout.addWidget(tab.left_stack, 1)
    tab.emergency_button = QPushButton("Print the &emergency sheet…")
    tab.emergency_button.setAccessibleName(
        "Print the one-page emergency sheet for paramedics and the hospital")
    tab.emergency_button.setToolTip(
        "Diagnosis, breathing support, advance decisions, medicines, allergies and the "
        "care team on one page, from the records")
    tab.emergency_button.clicked.connect(
        lambda: tab.print_requested.emit("emergency", None))
    left_layout.addWidget(tab.emergency_button)

    # Right: tools, the patient's medicines, the article, notes, the reminder.
    tab.back_button = QToolButton()
    tab.back_button.setText("← Back")
    tab.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tab.back_button.setAccessibleName("Back to the previous article")
    tab.back_button.clicked.connect(tab.go_back)
    tab.bookmark_button = QToolButton()
    tab.bookmark_button.setCheckable(True)
    tab.bookmark_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tab.bookmark_button.setAccessibleName("Bookmark this article")
    tab.bookmark_button.setToolTip(f"Bookmark this article ({shortcut_text('Ctrl+D')})")
    tab.bookmark_button.clicked.connect(tab.set_bookmarked)
    tab.print_button = QPushButton("&Print…")
    tab.print_button.setAccessibleName("Print this article")
    tab.print_button.clicked.connect(tab.print_article)
    tab.pdf_button = QPushButton("Save &as PDF…")
    tab.pdf_button.setAccessibleName("Save this article as a PDF file")
    tab.pdf_button.clicked.connect(tab.choose_pdf_file)
    tab.zoom_out_button = QToolButton()
    tab.zoom_out_button.setText("A−")
    tab.zoom_out_button.setAccessibleName("Smaller article text")
    tab.zoom_out_button.setToolTip(f"Smaller text ({shortcut_text('Ctrl+-')})")
    tab.zoom_in_button = QToolButton()
    tab.zoom_in_button.setText("A+")
    tab.zoom_in_button.setAccessibleName("Larger article text")
    tab.zoom_in_button.setToolTip(f"Larger text ({shortcut_text('Ctrl++')})")
    tab.zoom_label = QLabel()
    tab.zoom_label.setAccessibleName("Article text size")
    tools = QHBoxLayout()
    tools.addWidget(tab.back_button)
    tools.addWidget(tab.bookmark_button)
    tools.addStretch(1)
    tools.addWidget(tab.zoom_out_button)
    tools.addWidget(tab.zoom_label)
    tools.addWidget(tab.zoom_in_button)
    tools.addSpacing(12)
    tools.addWidget(tab.print_button)
    tools.addWidget(tab.pdf_button)

    tab.medicines_label = QLabel()
    tab.medicines_label.setWordWrap(True)
    tab.medicines_label.setTextFormat(Qt.TextFormat.RichText)
    tab.medicines_label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextBrowserInteraction)
    tab.medicines_label.setAccessibleName("Medicines on the patient's list")
    tab.medicines_label.setFrameShape(QFrame.Shape.StyledPanel)
    tab.medicines_label.setMargin(4)
    tab.medicines_label.linkActivated.connect(tab._on_link_text)
    tab.medicines_label.hide()

    tab.reader = ArticleBrowser()
    tab.reader.anchorClicked.connect(tab._on_link)
    tab.reader.back_requested.connect(tab.go_back)
    tab.zoom_in_button.clicked.connect(tab.reader.zoom_in)
    tab.zoom_out_button.clicked.connect(tab.reader.zoom_out)

    notes = QWidget()
    notes_layout = QVBoxLayout(notes)
    notes_layout.setContentsMargins(0, 4, 0, 0)
    notes_title = QLabel("My &notes on this article (kept only on this computer):")
    tab.notes_edit = QPlainTextEdit()
    tab.notes_edit.setAccessibleName("My notes on this article")
    tab.notes_edit.setPlaceholderText(
        "Questions for the care team, what worked for us, things to remember…")
    tab.notes_edit.setTabChangesFocus(True)
    tab.notes_edit.textChanged.connect(tab.note_keeper.on_edited)
    notes_title.setBuddy(tab.notes_edit)
    tab.notes_status = QLabel()
    tab.notes_status.setAccessibleName("Notes saved state")
    notes_head = QHBoxLayout()
    notes_head.addWidget(notes_title, 1)
    notes_head.addWidget(tab.notes_status)
    notes_layout.addLayout(notes_head)
    notes_layout.addWidget(tab.notes_edit, 1)

    tab.reader_split = QSplitter(Qt.Orientation.Vertical)
    tab.reader_split.addWidget(tab.reader)
    tab.reader_split.addWidget(notes)
    tab.reader_split.setStretchFactor(0, 4)
    tab.reader_split.setStretchFactor(1, 1)
    tab.reader_split.setChildrenCollapsible(False)
    line = tab.fontMetrics().lineSpacing()
    tab.reader_split.setSizes([line * 40, line * 7])

    tab.care_team_label = QLabel(CARE_TEAM_LINE)
    tab.care_team_label.setWordWrap(True)
    tab.care_team_label.setTextFormat(Qt.TextFormat.PlainText)
    tab.care_team_label.setAccessibleName("The care team decides treatment")

    right = QWidget()
    right_layout = QVBoxLayout(right)
    right_layout.setContentsMargins(4, 0, 0, 0)
    right_layout.addLayout(tools)
    right_layout.addWidget(tab.medicines_label)
    right_layout.addWidget(tab.reader_split, 1)
    right_layout.addWidget(tab.care_team_label)

    tab.splitter = QSplitter(Qt.Orientation.Horizontal)
    tab.splitter.addWidget(left)
    tab.splitter.addWidget(right)
    tab.splitter.setStretchFactor(0, 0)
    tab.splitter.setStretchFactor(1, 1)
    tab.splitter.setChildrenCollapsible(False)
    tab.splitter.splitterMoved.connect(tab._on_splitter_moved)
    tab._splitter_moved = False
    tab._fit_splitter()
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.addWidget(tab.splitter)

    tab.setTabOrder(tab.search_box, tab.suggestion_button)
    tab.setTabOrder(tab.suggestion_button, tab.category_view)
    tab.setTabOrder(tab.category_view, tab.article_view)
    tab.setTabOrder(tab.article_view, tab.results_view)
    tab.setTabOrder(tab.results_view, tab.back_button)
    tab.setTabOrder(tab.back_button, tab.bookmark_button)
    tab.setTabOrder(tab.bookmark_button, tab.zoom_out_button)
    tab.setTabOrder(tab.zoom_out_button, tab.zoom_in_button)
    tab.setTabOrder(tab.zoom_in_button, tab.print_button)
    tab.setTabOrder(tab.print_button, tab.pdf_button)
    tab.setTabOrder(tab.pdf_button, tab.medicines_label)
    tab.setTabOrder(tab.medicines_label, tab.reader)
    tab.setTabOrder(tab.reader, tab.notes_edit)
    tab.search_box.installEventFilter(tab)
    tab.notes_edit.installEventFilter(tab)
    tab._update_actions()


def rich_list(tab: LearnTab, name: str, model) -> QListView:
    view = QListView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setItemDelegate(RichTextDelegate(view))
    view.setWordWrap(True)
    view.setUniformItemSizes(False)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Row heights depend on the width: a scroll bar that comes and goes would leave
    # them measured for the wrong width.
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSpacing(1)
    return view
