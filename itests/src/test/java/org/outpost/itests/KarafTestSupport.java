/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Boots a real Outpost distribution with Pax Exam: the container resolves {@code mvn:} URLs from the local repository
 * and Maven Central only, SSH and the broker listen on free loopback ports, and the test has AssertJ and Awaitility.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class KarafTestSupport {

    @Inject
    protected BootFinished bootFinished;

    @Inject
    protected SessionFactory sessionFactory;

    /** The test probe is a module too ({@code itest}), so tests can register input handlers. */
    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Outpost-Module", "itest");
        return probe;
    }

    @Configuration
    public Option[] config() {
        String localRepo = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        String mvn = "etc/org.ops4j.pax.url.mvn.cfg";
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl("file:" + System.getProperty(distributionProperty()))
                        .name("Outpost").unpackDirectory(new File(System.getProperty("outpost.exam.dir", "target/exam")))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                logLevel(LogLevelOption.LogLevel.INFO),
                configureConsole().ignoreLocalConsole(),
                editConfigurationFilePut(mvn, "org.ops4j.pax.url.mvn.localRepository", localRepo),
                editConfigurationFilePut(mvn, "org.ops4j.pax.url.mvn.defaultRepositories",
                        "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,file:"
                                + localRepo + "@id=local@snapshots"),
                editConfigurationFilePut(mvn, "org.ops4j.pax.url.mvn.repositories",
                        System.getProperty("org.ops4j.pax.url.mvn.repositories")),
                editConfigurationFilePut(mvn, "org.ops4j.pax.url.mvn.useFallbackRepositories", "false"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.outpost.broker.cfg", "core.port", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.outpost.broker.cfg", "mqtt.port", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.outpost.broker.cfg", "amqp.port", Integer.toString(freePort())),
                mavenBundle("org.hamcrest", "hamcrest", System.getProperty("hamcrest.version")),
                mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version")),
                mavenBundle("net.bytebuddy", "byte-buddy", System.getProperty("byte-buddy.version")),
                mavenBundle("org.assertj", "assertj-core", System.getProperty("assertj.version"))));
        options.addAll(jdk17Options());
        return OptionUtils.combine(options.toArray(new Option[0]), extraOptions());
    }

    /** @return the system property that holds the path of the distribution's tar.gz */
    protected abstract String distributionProperty();

    /** @return options the distribution's tests add */
    protected abstract Option[] extraOptions();

    /** The JVM options bin/karaf passes on Java 17. */
    private static List<Option> jdk17Options() {
        String karaf = System.getProperty("karaf.version");
        List<Option> o = new ArrayList<>();
        for (String a : new String[] {"--add-reads=java.xml=java.logging",
            "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
            "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karaf + ".jar",
            "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karaf + ".jar",
            "--add-opens", "java.base/java.security=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
            "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
            "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
            "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*"}) {
            o.add(new VMOption(a));
        }
        return o;
    }

    /** @return a free TCP port on the loopback interface */
    static int freePort() {
        return GatewayProcess.freePort();
    }

    /**
     * Runs a shell command as an operator would type it.
     *
     * @return what it printed
     */
    protected String shell(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Session session = sessionFactory.create(System.in, out, out);
            // As an operator with both roles, as bin/outpost-shell's user: Karaf's command ACLs apply to sessions.
            Subject operator = new Subject();
            operator.getPrincipals().add(new UserPrincipal("itest"));
            operator.getPrincipals().add(new RolePrincipal("admin"));
            operator.getPrincipals().add(new RolePrincipal("viewer"));
            Object result;
            try {
                result = Subject.doAs(operator, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
            } catch (PrivilegedActionException e) {
                throw e.getException();
            }
            if (result != null) {
                session.getConsole().println(result);
            }
            out.flush();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
