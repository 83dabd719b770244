/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.modbus.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveType;

/**
 * A Modbus TCP slave (j2mod) for tests and demos: one unit with {@code size} holding registers, input registers, coils
 * and discrete inputs, all zero until set. Addresses here are the protocol's, from 0: PLC4X's tag
 * {@code holding-register:1} is address 0 (PLC4X counts from 1).
 */
public final class ModbusSimulator implements AutoCloseable {

    private final String host;
    private final int port;
    private final int unitId;
    private final int size;
    private final SimpleProcessImage image;
    private final ModbusSlave slave;

    private ModbusSimulator(String host, int port, int unitId, int size, SimpleProcessImage image, ModbusSlave slave) {
        this.host = host;
        this.port = port;
        this.unitId = unitId;
        this.size = size;
        this.image = image;
        this.slave = slave;
    }

    /**
     * Starts a slave listening on {@code host:port}.
     *
     * @param host the address to listen on (e.g. {@code 127.0.0.1})
     * @param port the TCP port; 0 picks a free one ({@link #port()} tells which)
     * @param unitId the unit identifier the slave answers (Modbus TCP clients usually send 1)
     * @param size how many registers, coils and discrete inputs the unit has (1 to 65536)
     * @return the running simulator; close it to stop listening
     * @throws IllegalStateException when the slave cannot listen there (e.g. the port is taken)
     */
    public static ModbusSimulator start(String host, int port, int unitId, int size) {
        if (size < 1 || size > 65536) {
            throw new IllegalArgumentException("Modbus simulator: size must be 1 to 65536 registers, not " + size);
        }
        if (unitId < 0 || unitId > 255) {
            throw new IllegalArgumentException("Modbus simulator: unit id must be 0 to 255, not " + unitId);
        }
        int chosen = port == 0 ? freePort(host) : port;
        // j2mod keeps one slave per port and would hand this port's out again (and a later close would close it for
        // both), and its listener fails to bind on its own thread: check here, and say so.
        if (ModbusSlaveFactory.getSlave(ModbusSlaveType.TCP, chosen) != null) {
            throw new IllegalStateException("Modbus simulator: port " + chosen + " already has a simulator in this JVM:"
                    + " choose another port or close that one");
        }
        checkFree(host, chosen);
        SimpleProcessImage image = new SimpleProcessImage(unitId);
        for (int i = 0; i < size; i++) {
            image.addRegister(new SimpleRegister(0));
            image.addInputRegister(new SimpleInputRegister(0));
            image.addDigitalOut(new SimpleDigitalOut(false));
            image.addDigitalIn(new SimpleDigitalIn(false));
        }
        ModbusSlave slave = null;
        try {
            slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getByName(host), chosen, 4, false);
            slave.addProcessImage(unitId, image);
            slave.open();
            return new ModbusSimulator(host, chosen, unitId, size, image, slave);
        } catch (ModbusException | IOException | RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("Modbus simulator could not listen on " + host
                    + ":" + chosen + " (" + e.getMessage() + "): choose another port or stop what listens there", e);
            if (slave != null) {
                // j2mod keeps the slave in its per-port map even when it did not open: without this, the port could
                // never get a simulator again in this JVM.
                try {
                    ModbusSlaveFactory.close(slave);
                } catch (RuntimeException closing) {
                    failure.addSuppressed(closing);
                }
            }
            throw failure;
        }
    }

    private static void checkFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("Modbus simulator could not listen on " + host + ":" + port + " ("
                    + e.getMessage() + "): choose another port or stop what listens there", e);
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Modbus simulator: no free port on " + host, e);
        }
    }

    /** @return the address the slave listens on */
    public String host() {
        return host;
    }

    /** @return the TCP port the slave listens on */
    public int port() {
        return port;
    }

    /** @return the unit identifier the slave answers */
    public int unitId() {
        return unitId;
    }

    /** @return the number of registers (and of coils and discrete inputs) */
    public int size() {
        return size;
    }

    /** Sets holding register {@code address} (from 0) to the low 16 bits of {@code value}. */
    public void setHoldingRegister(int address, int value) {
        image.getRegister(check(address)).setValue(value);
    }

    /** @return holding register {@code address} (from 0), unsigned */
    public int holdingRegister(int address) {
        return image.getRegister(check(address)).toUnsignedShort();
    }

    /** Sets input register {@code address} (from 0) to the low 16 bits of {@code value}. */
    public void setInputRegister(int address, int value) {
        ((SimpleInputRegister) image.getInputRegister(check(address))).setValue(value);
    }

    /** Sets coil {@code address} (from 0). */
    public void setCoil(int address, boolean value) {
        image.getDigitalOut(check(address)).set(value);
    }

    /** Sets discrete input {@code address} (from 0). */
    public void setDiscreteInput(int address, boolean value) {
        ((SimpleDigitalIn) image.getDigitalIn(check(address))).set(value);
    }

    private int check(int address) {
        if (address < 0 || address >= size) {
            throw new IllegalArgumentException("Modbus simulator: address " + address + " is outside 0.." + (size - 1));
        }
        return address;
    }

    /** Stops listening and closes the connections. */
    @Override
    public void close() {
        ModbusSlaveFactory.close(slave);
    }

    @Override
    public String toString() {
        return "Modbus TCP simulator " + host + ":" + port + " unit " + unitId + " (" + size + " registers)";
    }
}
