# Voila's settings for the facilitator dashboard as a JupyterHub service only (on the
# service's JUPYTER_CONFIG_PATH, deployment/z2jh/dashboard.yaml; never on a learner's server nor
# for ./mfl facilitate, whose kernel pools Voila refuses to combine with a prelaunch hook).
# The hook tells each page's kernel which facilitator opened it: mixedflows.server.hub.
from mixedflows.server.hub import prelaunch_hook

c = get_config()  # noqa: F821
c.VoilaConfiguration.prelaunch_hook = prelaunch_hook
