# JupyterLab for the course (`make lab` passes this file with --config; Binder's postBuild
# copies it to ~/.jupyter/). It opens lesson 00, lists only what a learner needs, keeps
# notebook files unchanged when they are only opened, and keeps the terminal quiet.
import os
import sys

c = get_config()  # noqa: F821  (provided by Jupyter when it loads this file)

course = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if os.path.isfile(os.path.join(course, "notebooks", "00_setup.ipynb")):
    c.ServerApp.root_dir = course
c.LabApp.default_url = "/lab/tree/notebooks/00_setup.ipynb"
c.ServerApp.open_browser = True
c.ServerApp.log_level = "WARN"
c.LabApp.log_level = "WARN"
c.ContentsManager.hide_globs = [
    "__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "*.egg-info",
    "support", "tests", "jupyter", "build", "Makefile", "pyproject.toml", "postBuild",
    "requirements*.txt", "environment.yml", "screenshots", "reports", "bench",
]
c.FileContentsManager.pre_save_hook = "support.tools.lab.keep_course_metadata"
if sys.platform != "win32":
    # Kernels talk to the server over local sockets, not TCP (no "without encryption" warning).
    c.KernelManager.transport = "ipc"
