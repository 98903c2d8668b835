"""Baseline for the start-up benchmark: a bare PySide6 window with four tabs."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

app = QApplication(sys.argv)
window = QMainWindow()
tabs = QTabWidget()
for name in ("Today", "Medications", "Care team", "Learn"):
    tabs.addTab(QLabel(name), name)
window.setCentralWidget(tabs)
window.resize(1100, 760)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
