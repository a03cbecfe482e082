from compose_lite.cli import main

main()
