"""`python -m amity.spark extract ...` is `amity spark extract ...`; this file is also the
script to give `spark-submit` (docs/spark.md): spark-submit "$(python -c 'import
amity.spark.__main__ as m; print(m.__file__)')" extract INPUT... --output DIR"""

import sys

from amity.cli import app

if __name__ == "__main__":  # pragma: no cover
    app(args=["spark", *sys.argv[1:]], prog_name="amity")
