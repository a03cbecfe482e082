from compose_lite.launch import main

main()
