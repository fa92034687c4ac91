import BindSimCLI

BindSim.main()
